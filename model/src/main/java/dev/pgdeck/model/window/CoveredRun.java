package dev.pgdeck.model.window;

import java.time.Instant;

/**
 * A continuous recoverable stretch: from a base backup's stop to the last WAL reachable without a gap.
 *
 * @param lastSegment the last segment replayed, null when not even the backup's stop segment is archived
 * @param stoppedAt the missing segment that ends the run while later WAL exists, null when the run reaches the end
 */
public record CoveredRun(String backup, Instant from, Instant to, String lastSegment, String stoppedAt) {
}
