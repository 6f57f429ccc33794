package dev.pgdeck.remote.ingest;

import java.time.Instant;

/** Told after each committed page (the wizard's progress bar; the tests' kill switch). */
@FunctionalInterface
public interface IngestProgress {
    IngestProgress NONE = (pages, fetched, inserted, watermark) -> { };

    void pageCommitted(int pages, long fetched, long inserted, Instant watermark);
}
