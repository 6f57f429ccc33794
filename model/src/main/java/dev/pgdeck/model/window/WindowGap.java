package dev.pgdeck.model.window;

import java.time.Instant;

/**
 * A stretch of time that cannot be recovered to: from the archive time of the last segment before the missing one,
 * to the stop time of the next base backup ({@code to} is null when no backup follows).
 */
public record WindowGap(Instant from, Instant to, String lastSegmentBefore, String firstMissingSegment) {
}
