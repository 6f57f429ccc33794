package dev.pgdeck.model.wal;

import dev.pgdeck.model.ParseException;

/** A WAL location ({@code pg_lsn}), written by PostgreSQL as two hex halves: {@code 0/15007A8}. */
public record Lsn(long value) implements Comparable<Lsn> {
    public static final Lsn ZERO = new Lsn(0);

    public static Lsn parse(String text) throws ParseException {
        Lsn lsn = tryParse(text);
        if (lsn == null) {
            throw new ParseException("WAL location", 0, text, "an LSN like 0/15007A8");
        }
        return lsn;
    }

    /** The LSN, or null when {@code text} is not one. Both halves are 1-8 hex digits (either case). */
    public static Lsn tryParse(String text) {
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash < 1 || slash > 8 || text.length() - slash - 1 < 1 || text.length() - slash - 1 > 8) {
            return null;
        }
        try {
            long hi = Long.parseLong(text.substring(0, slash), 16);
            long lo = Long.parseLong(text.substring(slash + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            return new Lsn((hi << 32) | lo);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The segment holding this location; a location exactly on a boundary belongs to the segment that starts there. */
    public WalSegment segment(int timeline) {
        return new WalSegment(timeline, Long.divideUnsigned(value, WalSegment.SIZE));
    }

    /** The segment holding the byte just before this location: where a backup that stops here last wrote. */
    public WalSegment segmentOfPreviousByte(int timeline) {
        return new WalSegment(timeline, Long.divideUnsigned(value - 1, WalSegment.SIZE));
    }

    public String segmentName(int timeline) {
        return segment(timeline).name();
    }

    public long offsetInSegment() {
        return Long.remainderUnsigned(value, WalSegment.SIZE);
    }

    /** Bytes of WAL from {@code earlier} to this location; negative when {@code earlier} is in fact later. */
    public long bytesSince(Lsn earlier) {
        return value - earlier.value;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    public boolean isAfter(Lsn other) {
        return compareTo(other) > 0;
    }

    public boolean isBefore(Lsn other) {
        return compareTo(other) < 0;
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
