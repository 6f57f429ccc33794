package dev.pgdeck.remote.ingest;

/** Running totals of one run: every fetched event is inserted, a duplicate, or rejected. */
record IngestCounts(long fetched, long inserted, long duplicates, long rejected, int pages) {
    static final IngestCounts ZERO = new IngestCounts(0, 0, 0, 0, 0);

    IngestCounts plusPage(long pageFetched, long pageInserted, long pageDuplicates, long pageRejected) {
        return new IngestCounts(fetched + pageFetched, inserted + pageInserted, duplicates + pageDuplicates,
                rejected + pageRejected, pages + 1);
    }
}
