package dev.pgdeck.app.main;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgdeck.app.common.Formats;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.overview.HealthSummary;
import dev.pgdeck.model.overview.LastDrill;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The instances table's Last drill column. */
class InstanceTextsTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private static InstanceStatus main(LastDrill drill, Map<String, String> errors, HealthSummary health) {
        return new InstanceStatus("main", 5432, "15.18", true, 1L, null, 2, null, false, 1, null, List.of(), null,
                List.of(), List.of(), health, errors, null, drill, null);
    }

    @Test
    void drillAgeNeverOrNotRead() {
        HealthSummary ok = new HealthSummary("ok", List.of());
        LastDrill drill = new LastDrill(OffsetDateTime.parse("2026-11-20T09:00:00Z"), "latest", true, 3.0);
        assertEquals("drill 3 d ago", InstanceTexts.drill(main(drill, Map.of(), ok), NOW));
        assertEquals("never", InstanceTexts.drill(main(null, Map.of(), ok), NOW));
        assertEquals("not read", InstanceTexts.drill(main(null, Map.of("drills", "permission denied"), ok), NOW));
        assertEquals("", InstanceTexts.drill(main(null, Map.of(), null), NOW), "an instance never read says nothing");
    }

    @Test
    void agoInItsLargestUnit() {
        assertEquals("just now", Formats.ago(Duration.ofSeconds(59)));
        assertEquals("12 min ago", Formats.ago(Duration.ofMinutes(12).plusSeconds(30)));
        assertEquals("5 h ago", Formats.ago(Duration.ofHours(5).plusMinutes(59)));
        assertEquals("45 d ago", Formats.ago(Duration.ofDays(45).plusHours(23)));
        assertEquals("just now", Formats.ago(Duration.ofMinutes(-5)), "a clock ahead of the host's");
    }
}
