package dev.pgdeck.remote.ingest;

import java.time.Duration;
import java.time.Instant;

/**
 * How a run chooses its range. {@code since}: backfill from there (inclusive) instead of the watermark. {@code lookback}:
 * how far before the watermark to read again, for events PostHog receives late (re-read events count as duplicates).
 * {@code martLookbackDays}: days before the latest touched day whose marts are rebuilt too.
 */
public record IngestOptions(Instant since, Duration lookback, int martLookbackDays) {
    public static final IngestOptions DEFAULT = new IngestOptions(null, Duration.ofHours(1), 2);

    public IngestOptions withSince(Instant from) {
        return new IngestOptions(from, lookback, martLookbackDays);
    }

    public IngestOptions withLookback(Duration d) {
        return new IngestOptions(since, d, martLookbackDays);
    }
}
