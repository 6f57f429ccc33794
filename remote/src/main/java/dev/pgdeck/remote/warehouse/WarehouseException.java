package dev.pgdeck.remote.warehouse;

/** The warehouse could not be migrated or refreshed; the message says what failed. */
public final class WarehouseException extends Exception {
    public WarehouseException(String message, Throwable cause) {
        super(message, cause);
    }
}
