package dev.pgdeck.model.overview;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class LastDrillTest {
    private static final LastDrill DRILL = new LastDrill(OffsetDateTime.parse("2025-10-11T12:00:00+02:00"), "latest",
            true, 12.5);

    @Test
    void theAgeIsCountedFromTheDrillsInstant() {
        assertEquals(Duration.ofHours(3), DRILL.age(Instant.parse("2025-10-11T13:00:00Z")));
    }

    @Test
    void aDrillAheadOfTheClockIsNoOlderThanNow() {
        assertEquals(Duration.ZERO, DRILL.age(Instant.parse("2025-10-11T09:00:00Z")));
    }
}
