package dev.pgdeck.remote.secret;

/** The OS keyring could not be read or written; the message says why in words and never holds the secret. */
public final class SecretException extends Exception {
    public SecretException(String message) {
        super(message);
    }

    public SecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
