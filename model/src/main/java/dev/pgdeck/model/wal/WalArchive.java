package dev.pgdeck.model.wal;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a WAL archive directory holds: segments per timeline with their gaps, and the history, backup history,
 * partial and unrecognised files. Built by {@link WalArchiveListing}.
 */
public final class WalArchive {
    /** The sorted segment numbers of one timeline and when each was archived (same index). */
    record Segments(long[] numbers, Instant[] archivedAt) {
    }

    private final long segmentCount;
    private final long bytes;
    private final String oldest;
    private final String newest;
    private final List<TimelineRange> timelines;
    private final List<String> historyFiles;
    private final List<String> backupHistoryFiles;
    private final List<String> partialFiles;
    private final List<String> otherFiles;
    private final Map<Integer, Segments> byTimeline;

    WalArchive(long segmentCount, long bytes, String oldest, String newest, List<TimelineRange> timelines,
               List<String> historyFiles, List<String> backupHistoryFiles, List<String> partialFiles,
               List<String> otherFiles, Map<Integer, Segments> byTimeline) {
        this.segmentCount = segmentCount;
        this.bytes = bytes;
        this.oldest = oldest;
        this.newest = newest;
        this.timelines = List.copyOf(timelines);
        this.historyFiles = List.copyOf(historyFiles);
        this.backupHistoryFiles = List.copyOf(backupHistoryFiles);
        this.partialFiles = List.copyOf(partialFiles);
        this.otherFiles = List.copyOf(otherFiles);
        this.byTimeline = Map.copyOf(byTimeline);
    }

    public static WalArchive empty() {
        return new WalArchive(0, 0, null, null, List.of(), List.of(), List.of(), List.of(), List.of(), Map.of());
    }

    public long segmentCount() {
        return segmentCount;
    }

    /** Bytes of all files in the listing, segments or not. */
    public long bytes() {
        return bytes;
    }

    /** The earliest segment by WAL position (then timeline), null when there is none. */
    public String oldest() {
        return oldest;
    }

    public String newest() {
        return newest;
    }

    public List<TimelineRange> timelines() {
        return timelines;
    }

    public List<String> historyFiles() {
        return historyFiles;
    }

    public List<String> backupHistoryFiles() {
        return backupHistoryFiles;
    }

    public List<String> partialFiles() {
        return partialFiles;
    }

    /** Files that are not WAL archive files at all (kept visible: something else writes into the archive). */
    public List<String> otherFiles() {
        return otherFiles;
    }

    /** All gaps, timeline by timeline. */
    public List<WalGap> gaps() {
        return timelines.stream().flatMap(t -> t.gaps().stream()).toList();
    }

    public boolean contains(WalSegment segment) {
        Segments s = byTimeline.get(segment.timeline());
        return s != null && Arrays.binarySearch(s.numbers(), segment.number()) >= 0;
    }

    /** When the segment was archived (its mtime), or null when it is not in the archive. */
    public Instant archivedAt(WalSegment segment) {
        Segments s = byTimeline.get(segment.timeline());
        if (s == null) {
            return null;
        }
        int i = Arrays.binarySearch(s.numbers(), segment.number());
        return i >= 0 ? s.archivedAt()[i] : null;
    }

    /**
     * The first segment number in {@code [from, to]} on {@code timeline} that is missing, or -1 when all are there.
     */
    public long firstMissing(int timeline, long from, long to) {
        Segments s = byTimeline.get(timeline);
        if (from > to) {
            return -1;
        }
        if (s == null) {
            return from;
        }
        long[] n = s.numbers();
        int i = Arrays.binarySearch(n, from);
        if (i < 0) {
            return from;
        }
        // Sorted and distinct: the run from..to is complete exactly when n[i + (to - from)] == to.
        long span = to - from;
        if (i + span < n.length && n[(int) (i + span)] == to) {
            return -1;
        }
        long expected = from;
        for (int k = i; k < n.length && expected <= to; k++, expected++) {
            if (n[k] != expected) {
                return expected;
            }
        }
        return expected <= to ? expected : -1;
    }

    /** The highest segment number present on {@code timeline}, or -1. */
    public long lastNumber(int timeline) {
        Segments s = byTimeline.get(timeline);
        return s == null || s.numbers().length == 0 ? -1 : s.numbers()[s.numbers().length - 1];
    }

    /** The highest segment number at or below {@code limit} on {@code timeline}, or -1 when there is none. */
    public long highestAtMost(int timeline, long limit) {
        Segments s = byTimeline.get(timeline);
        if (s == null) {
            return -1;
        }
        int i = Arrays.binarySearch(s.numbers(), limit);
        int idx = i >= 0 ? i : -i - 2;
        return idx >= 0 ? s.numbers()[idx] : -1;
    }

    /** The highest segment number at or below {@code limit} present on {@code timeline} with no gap from {@code start}; -1 if start is absent. */
    public long lastContiguousFrom(int timeline, long start, long limit) {
        long missing = firstMissing(timeline, start, limit);
        if (missing == start) {
            return -1;
        }
        return missing < 0 ? limit : missing - 1;
    }
}
