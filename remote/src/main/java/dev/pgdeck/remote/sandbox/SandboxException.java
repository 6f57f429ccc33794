package dev.pgdeck.remote.sandbox;

/** The sandbox could not be started, stopped or reset; the message says what was wrong and what to do. */
public class SandboxException extends Exception {
    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
