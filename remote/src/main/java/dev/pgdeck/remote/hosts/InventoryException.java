package dev.pgdeck.remote.hosts;

/** The host inventory is invalid or unreadable; the message names the file, the host and the field. */
public class InventoryException extends Exception {
    public InventoryException(String message) {
        super(message);
    }

    public InventoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
