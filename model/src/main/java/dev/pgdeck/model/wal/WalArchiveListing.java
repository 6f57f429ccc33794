package dev.pgdeck.model.wal;

import dev.pgdeck.model.ParseException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the output of {@code find <archive> -maxdepth 1 -type f -printf '%f %s %T@\n'} (name, size in bytes,
 * mtime as epoch seconds with a fraction). Empty output is an empty archive: that is what find prints for an empty
 * directory. Compressed segments ({@code .gz}, {@code .zst}, {@code .lz4}, {@code .bz2}, {@code .xz}) count as
 * their segment, since archive_command scripts often compress.
 */
public final class WalArchiveListing {
    public static final String SOURCE = "WAL archive listing (find -printf '%f %s %T@')";
    private static final String[] COMPRESSED = {".gz", ".zst", ".lz4", ".bz2", ".xz"};

    private WalArchiveListing() {}

    public static WalArchive parse(String output) throws ParseException {
        if (output == null || output.isBlank()) {
            return WalArchive.empty();
        }
        Map<Integer, Builder> timelines = new TreeMap<>();
        List<String> histories = new ArrayList<>();
        List<String> backups = new ArrayList<>();
        List<String> partials = new ArrayList<>();
        List<String> others = new ArrayList<>();
        long bytes = 0;
        int lineNo = 0;
        int start = 0;
        int n = output.length();
        while (start < n) {
            int end = output.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            lineNo++;
            String line = output.substring(start, end > start && output.charAt(end - 1) == '\r' ? end - 1 : end);
            start = end + 1;
            if (line.isEmpty()) {
                continue;
            }
            // Split from the right: the name is whatever precedes size and mtime, spaces included.
            int s2 = line.lastIndexOf(' ');
            int s1 = s2 > 0 ? line.lastIndexOf(' ', s2 - 1) : -1;
            if (s1 <= 0) {
                throw new ParseException(SOURCE, lineNo, line, "\"<name> <size> <mtime>\"");
            }
            long size = parseSize(line, s1 + 1, s2);
            if (size < 0) {
                throw new ParseException(SOURCE, lineNo, line, "a size in bytes as the second field");
            }
            Instant mtime = parseEpoch(line, s2 + 1);
            if (mtime == null) {
                throw new ParseException(SOURCE, lineNo, line, "an mtime in epoch seconds (e.g. 1760184001.25) as the last field");
            }
            String name = line.substring(0, s1);
            bytes += size;
            WalFileName f = WalFileName.tryParse(stripCompression(name));
            if (f == null) {
                others.add(name);
                continue;
            }
            switch (f.kind()) {
                case SEGMENT -> timelines.computeIfAbsent(f.timeline(), t -> new Builder()).add(f.segment().number(), mtime);
                case PARTIAL -> partials.add(name);
                case BACKUP_HISTORY -> backups.add(name);
                case TIMELINE_HISTORY -> histories.add(name);
            }
        }
        histories.sort(null);
        backups.sort(null);
        partials.sort(null);
        others.sort(null);
        return build(timelines, bytes, histories, backups, partials, others);
    }

    private static WalArchive build(Map<Integer, Builder> timelines, long bytes, List<String> histories,
                                    List<String> backups, List<String> partials, List<String> others) {
        List<TimelineRange> ranges = new ArrayList<>();
        Map<Integer, WalArchive.Segments> byTimeline = new HashMap<>();
        WalSegment oldest = null;
        WalSegment newest = null;
        long count = 0;
        for (Map.Entry<Integer, Builder> e : timelines.entrySet()) {
            int tli = e.getKey();
            WalArchive.Segments segs = e.getValue().sorted();
            long[] nums = segs.numbers();
            Instant[] times = segs.archivedAt();
            byTimeline.put(tli, segs);
            List<WalGap> gaps = new ArrayList<>();
            for (int i = 1; i < nums.length; i++) {
                if (nums[i] != nums[i - 1] + 1) {
                    gaps.add(new WalGap(tli, new WalSegment(tli, nums[i - 1]).name(), new WalSegment(tli, nums[i]).name(),
                            nums[i] - nums[i - 1] - 1, times[i - 1], times[i]));
                }
            }
            WalSegment first = new WalSegment(tli, nums[0]);
            WalSegment last = new WalSegment(tli, nums[nums.length - 1]);
            ranges.add(new TimelineRange(tli, first.name(), last.name(), nums.length, times[0], times[nums.length - 1], gaps));
            oldest = oldest == null || first.compareTo(oldest) < 0 ? first : oldest;
            newest = newest == null || last.compareTo(newest) > 0 ? last : newest;
            count += nums.length;
        }
        return new WalArchive(count, bytes, oldest == null ? null : oldest.name(), newest == null ? null : newest.name(),
                ranges, histories, backups, partials, others, byTimeline);
    }

    private static String stripCompression(String name) {
        for (String suffix : COMPRESSED) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    private static long parseSize(String s, int from, int to) {
        if (to <= from || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Parses {@code 1760184001.1234567890} (find prints 10 fraction digits; nanoseconds keep the first 9). */
    /** 9999-12-31T23:59:59Z: a modification time beyond is no time (and beyond Instant's range, a crash). */
    private static final long LATEST_MTIME = 253_402_300_799L;

    static Instant parseEpoch(String s, int from) {
        int dot = s.indexOf('.', from);
        int secEnd = dot < 0 ? s.length() : dot;
        long seconds = parseSize(s, from, secEnd);
        if (seconds < 0 || seconds > LATEST_MTIME) {
            return null;
        }
        long nanos = 0;
        if (dot >= 0) {
            int digits = s.length() - dot - 1;
            if (digits < 1) {
                return null;
            }
            for (int i = 0; i < 9; i++) {
                int idx = dot + 1 + i;
                int d = 0;
                if (idx < s.length()) {
                    char c = s.charAt(idx);
                    if (c < '0' || c > '9') {
                        return null;
                    }
                    d = c - '0';
                }
                nanos = nanos * 10 + d;
            }
            for (int idx = dot + 10; idx < s.length(); idx++) {
                char c = s.charAt(idx);
                if (c < '0' || c > '9') {
                    return null;
                }
            }
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** Collects one timeline's segments; sorts once at the end (find prints in directory order, not name order). */
    private static final class Builder {
        private long[] numbers = new long[64];
        private Instant[] times = new Instant[64];
        private int size;

        void add(long number, Instant time) {
            if (size == numbers.length) {
                numbers = Arrays.copyOf(numbers, size * 2);
                times = Arrays.copyOf(times, size * 2);
            }
            numbers[size] = number;
            times[size] = time;
            size++;
        }

        WalArchive.Segments sorted() {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(numbers[a], numbers[b]));
            long[] nums = new long[size];
            Instant[] ts = new Instant[size];
            int k = 0;
            for (int idx : order) {
                // A segment both plain and compressed appears twice: keep one.
                if (k > 0 && nums[k - 1] == numbers[idx]) {
                    continue;
                }
                nums[k] = numbers[idx];
                ts[k] = times[idx];
                k++;
            }
            return new WalArchive.Segments(Arrays.copyOf(nums, k), Arrays.copyOf(ts, k));
        }
    }
}
