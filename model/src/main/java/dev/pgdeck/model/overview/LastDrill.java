package dev.pgdeck.model.overview;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The last successful recovery drill of an instance, from pgdeck's drill log on the host: when it ran, the target
 * it recovered to (in words, e.g. {@code latest} or {@code time 2025-10-11 14:30:00+00}), whether recovery reached
 * it, and the recovery time in seconds (null when not measured).
 */
public record LastDrill(OffsetDateTime at, String target, boolean reached, Double rtoSeconds) {
    /** How long before {@code now} the drill ran (zero when the clocks disagree and it seems to lie ahead). */
    public Duration age(Instant now) {
        Duration age = Duration.between(at.toInstant(), now);
        return age.isNegative() ? Duration.ZERO : age;
    }
}
