package dev.pgdeck.model.metrics;

import dev.pgdeck.model.Fixtures;
import dev.pgdeck.model.ParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusTextParserTest {
    @Test
    void readsTheSeedMetrics() throws ParseException {
        Metrics health = PrometheusTextParser.parse("postgresql_health.prom", Fixtures.read("metrics/postgresql_health.prom"));
        assertEquals(4, health.samples().size());
        assertEquals(0.0, health.find("postgresql_health", "instance", "analytics").orElseThrow().value());
        assertEquals("gauge", health.types().get("postgresql_health"));
        assertTrue(health.help().get("postgresql_health").startsWith("PostgreSQL instance health"));

        Metrics backup = PrometheusTextParser.parse("postgresql_backup.prom", Fixtures.read("metrics/postgresql_backup.prom"));
        assertEquals(1.760149803e9, backup.find("postgresql_backup_last_success_timestamp", "instance", "dev").orElseThrow().value());
        Sample size = backup.named("postgresql_backup_size_bytes").get(0);
        assertEquals(1760148003000L, size.timestampMillis());
        assertEquals("/var/backup/postgresql/main/20251011-020000", size.label("path"));
        assertNull(backup.named("postgresql_backup_duration_seconds").get(0).timestampMillis());

        Metrics wal = PrometheusTextParser.parse("postgresql_wal_archive.prom", Fixtures.read("metrics/postgresql_wal_archive.prom"));
        Sample odd = wal.named("postgresql_wal_archive_ratio").get(0);
        assertTrue(Double.isNaN(odd.value()));
        assertEquals("a \"quoted\" value\\path", odd.label("note"));
        assertEquals("counter", wal.types().get("postgresql_wal_archive_failures_total"));
    }

    @Test
    void acceptsTheFormatsOddCorners() throws ParseException {
        Metrics m = PrometheusTextParser.parse("x", "a 1\nb{} +Inf\nc{k=\"v\",} -Inf -1\n  d:e_f{k = \"v\\n\"}\t2.5e-3\n# free comment\n");
        assertEquals(4, m.samples().size());
        assertEquals(Double.POSITIVE_INFINITY, m.named("b").get(0).value());
        assertEquals(-1L, m.named("c").get(0).timestampMillis());
        assertEquals(Map.of("k", "v\n"), m.named("d:e_f").get(0).labels());
        assertTrue(PrometheusTextParser.parse("x", "").samples().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql_health{instance=\"main\"}", "postgresql_health{instance=\"main\"} one",
            "postgresql_health{instance=main} 1", "postgresql_health{instance=\"main} 1", "postgresql_health{instance=\"main\" 1",
            "1metric 1", "postgresql_health 1 12:00", "postgresql_health 1 2 3", "# TYPE postgresql_health wobbly",
            "# TYPE postgresql_health gauge", "{instance=\"main\"} 1", "postgresql_health{a=\"1\",a=\"2\"} 1",
            "postgresql_health{instance=\"m\\x\"} 1", "postgresql_health Infinity", "postgresql_health 0x10",
            "<html>", "postgresql_health{1a=\"x\"} 1"})
    void rejectsMalformedLinesNamingTheLine(String bad) {
        String text = Fixtures.read("metrics/postgresql_health.prom") + bad + "\n";
        ParseException e = assertThrows(ParseException.class, () -> PrometheusTextParser.parse("postgresql_health.prom", text));
        assertEquals(9, e.lineNumber(), e.getMessage());
        assertTrue(e.getMessage().startsWith("postgresql_health.prom line 9: expected"), e.getMessage());
    }
}
