package dev.pgdeck.model.wal;

import java.time.Instant;
import java.util.List;

/** The segments of one timeline in the archive: first and last by position, how many, and the gaps between. */
public record TimelineRange(int timeline, String first, String last, long segments, Instant firstArchivedAt,
                            Instant lastArchivedAt, List<WalGap> gaps) {
    public TimelineRange {
        gaps = List.copyOf(gaps);
    }
}
