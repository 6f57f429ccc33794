package dev.pgdeck.remote.posthog;

/** PostHog could not be read: the message says what happened (status, attempts) and for which request. */
public final class PostHogException extends Exception {
    public PostHogException(String message) {
        super(message);
    }

    public PostHogException(String message, Throwable cause) {
        super(message, cause);
    }
}
