package dev.pgdeck.model.window;

import java.time.Instant;

/**
 * A continuous recoverable stretch: from a base backup's stop to the last WAL reachable without a gap.
 *
 * @param lastSegment the last segment replayed, null when not even the backup's stop segment is archived
 * @param stoppedAt the missing segment that ends the run while later WAL exists, null when the run reaches the end
 * @param timeEdge the latest time a time target can reach in this run ({@code to} is the end of its archived WAL)
 */
public record CoveredRun(String backup, Instant from, Instant to, String lastSegment, String stoppedAt,
                         TimeEdge timeEdge) {
    /** A run whose WAL records were not read: its time edge is unknown. */
    public CoveredRun(String backup, Instant from, Instant to, String lastSegment, String stoppedAt) {
        this(backup, from, to, lastSegment, stoppedAt, TimeEdge.notRead());
    }
}
