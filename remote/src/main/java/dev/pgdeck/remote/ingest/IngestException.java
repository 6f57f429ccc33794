package dev.pgdeck.remote.ingest;

/** A run ended early; the message says what happened and where the run stopped (its committed watermark). */
public final class IngestException extends Exception {
    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
