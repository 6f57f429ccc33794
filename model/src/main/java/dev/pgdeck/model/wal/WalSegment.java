package dev.pgdeck.model.wal;

import dev.pgdeck.model.ParseException;

/**
 * One WAL segment file: timeline and segment number. Assumes the default 16 MB segment size (wal_segment_size),
 * which is what seed-002 hosts and the Debian packages use.
 */
public record WalSegment(int timeline, long number) implements Comparable<WalSegment> {
    public static final long SIZE = 16L * 1024 * 1024;
    /** Segments per "log" (the middle 8 hex digits): 4 GB / segment size. */
    public static final long PER_LOG = 0x1_0000_0000L / SIZE;

    public WalSegment {
        if (timeline < 1) {
            throw new IllegalArgumentException("timeline must be 1 or more, not " + timeline);
        }
        if (number < 0) {
            throw new IllegalArgumentException("segment number must not be negative");
        }
    }

    public static WalSegment parse(String name) throws ParseException {
        WalSegment s = tryParse(name);
        if (s == null) {
            throw new ParseException("WAL segment name", 0, name,
                    "24 upper-case hex digits (timeline, log, segment), e.g. 000000010000000000000006");
        }
        return s;
    }

    /** The segment named by the first 24 characters of {@code name} (which must be exactly 24 long), or null. */
    public static WalSegment tryParse(String name) {
        return name != null && name.length() == 24 ? at(name) : null;
    }

    /** Parses the 24 hex digits at the start of {@code s} (which may be longer, e.g. a .backup name), or null. */
    static WalSegment at(String s) {
        long tli = Hex.parse8(s, 0);
        long log = Hex.parse8(s, 8);
        long seg = Hex.parse8(s, 16);
        if (tli < 1 || log < 0 || seg < 0 || seg >= PER_LOG) {
            return null;
        }
        return new WalSegment((int) tli, log * PER_LOG + seg);
    }

    public String name() {
        StringBuilder sb = new StringBuilder(24);
        Hex.append8(sb, timeline);
        Hex.append8(sb, number / PER_LOG);
        Hex.append8(sb, number % PER_LOG);
        return sb.toString();
    }

    public WalSegment next() {
        return new WalSegment(timeline, number + 1);
    }

    public WalSegment previous() {
        if (number == 0) {
            throw new IllegalStateException("segment 0 has no predecessor");
        }
        return new WalSegment(timeline, number - 1);
    }

    public WalSegment onTimeline(int otherTimeline) {
        return new WalSegment(otherTimeline, number);
    }

    public Lsn startLsn() {
        return new Lsn(number * SIZE);
    }

    /** The first location after this segment. */
    public Lsn endLsn() {
        return new Lsn((number + 1) * SIZE);
    }

    /** Segments from this one to {@code later} (by position only; 1 for the next segment). */
    public long distanceTo(WalSegment later) {
        return later.number - number;
    }

    /** Orders by WAL position first, then timeline: the order in which recovery would read the files. */
    @Override
    public int compareTo(WalSegment o) {
        int c = Long.compare(number, o.number);
        return c != 0 ? c : Integer.compare(timeline, o.timeline);
    }

    @Override
    public String toString() {
        return name();
    }
}
