package dev.pgdeck.remote.posthog;

import java.time.Duration;

/**
 * How often and how long to wait before asking PostHog again: exponential backoff from {@code base}, capped at
 * {@code maxWait}; a 429's Retry-After is honoured up to {@code maxRetryAfter}.
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration maxWait, Duration maxRetryAfter) {
    /** About 2 minutes of trying in all (1+2+4+8+16+32+60 s), enough to ride out a PostHog deploy. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(5));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    Duration backoff(int attempt) {
        long millis = base.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxWait.toMillis()));
    }

    Duration retryAfter(Duration asked) {
        return asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
    }
}
