package dev.pgdeck.model.wal;

import java.time.Instant;

/**
 * Missing segments on one timeline: everything strictly between {@code after} and {@code before} is absent.
 * The times are when the bounding segments were archived (their mtimes), null when unknown.
 */
public record WalGap(int timeline, String after, String before, long missingSegments, Instant afterArchivedAt,
                     Instant beforeArchivedAt) {
}
