package dev.pgdeck.remote.host;

/** A command could not be run at all, or ran past its timeout (and was stopped). */
public class HostCommandException extends Exception {
    public HostCommandException(String message) {
        super(message);
    }

    public HostCommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
