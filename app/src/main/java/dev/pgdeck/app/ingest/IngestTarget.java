package dev.pgdeck.app.ingest;

import javax.sql.DataSource;

/** The warehouse the wizard writes to (the console's: the sandbox's {@code analytics} database). */
public interface IngestTarget {
    /** In words, for the wizard's pages, e.g. "the sandbox's analytics database". */
    String description();

    /** The warehouse's data source. Called from worker threads only: may start or wait for things. */
    DataSource warehouse() throws Exception;
}
