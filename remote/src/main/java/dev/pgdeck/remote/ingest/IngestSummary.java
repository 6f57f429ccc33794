package dev.pgdeck.remote.ingest;

import java.time.Instant;
import java.util.List;

/** What one run did; {@code watermark} is where the next run goes on from. */
public record IngestSummary(long runId, long fetched, long inserted, long duplicates, long rejected, int pages,
                            double seconds, Instant watermark, List<QualityCheck> checks) {
}
