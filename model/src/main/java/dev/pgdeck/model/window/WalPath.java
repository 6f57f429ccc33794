package dev.pgdeck.model.window;

import dev.pgdeck.model.wal.Lsn;
import dev.pgdeck.model.wal.TimelineHistory;
import dev.pgdeck.model.wal.TimelineSwitch;
import dev.pgdeck.model.wal.WalArchive;
import dev.pgdeck.model.wal.WalSegment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The WAL a recovery along one timeline reads: segment k comes from the newest timeline of its history that had
 * begun by k (the segment holding a switch point is read from the new timeline), as PostgreSQL does.
 */
final class WalPath {
    private final WalArchive archive;
    private final TimelineHistory history;
    private final int[] timelines;
    private final long[] beginSegments;
    private final long lastSegment;

    WalPath(WalArchive archive, TimelineHistory history) {
        this.archive = archive;
        this.history = history;
        List<TimelineSwitch> switches = history.switches();
        int n = switches.size() + 1;
        timelines = new int[n];
        beginSegments = new long[n];
        long begin = 0;
        for (int i = 0; i < n; i++) {
            timelines[i] = i < switches.size() ? switches.get(i).parentTimeline() : history.timeline();
            beginSegments[i] = begin;
            if (i < switches.size()) {
                begin = switches.get(i).switchLsn().segment(1).number();
            }
        }
        long last = -1;
        for (int i = 0; i < n; i++) {
            long limit = i + 1 < n ? beginSegments[i + 1] - 1 : Long.MAX_VALUE;
            long top = archive.highestAtMost(timelines[i], limit);
            if (top >= beginSegments[i]) {
                last = Math.max(last, top);
            }
        }
        lastSegment = last;
    }

    int timelineOf(long segment) {
        for (int i = timelines.length - 1; i > 0; i--) {
            if (segment >= beginSegments[i]) {
                return timelines[i];
            }
        }
        return timelines[0];
    }

    WalSegment segment(long number) {
        return new WalSegment(timelineOf(number), number);
    }

    boolean present(long number) {
        return archive.contains(segment(number));
    }

    Instant archivedAt(long number) {
        return archive.archivedAt(segment(number));
    }

    /** The highest segment number on this path in the archive, or -1. */
    long lastSegment() {
        return lastSegment;
    }

    /** Whether a backup that stopped at {@code stop} on {@code timeline} lies on this path. */
    boolean holds(int timeline, Lsn stop) {
        return history.timelineAt(stop) == timeline;
    }
}
