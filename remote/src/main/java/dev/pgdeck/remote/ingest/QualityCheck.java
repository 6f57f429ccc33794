package dev.pgdeck.remote.ingest;

/** One data-quality check over the days a run touched. */
public record QualityCheck(String name, boolean passed, long failingRows, String detail) {
}
