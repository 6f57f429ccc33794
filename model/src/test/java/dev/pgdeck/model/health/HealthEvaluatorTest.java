package dev.pgdeck.model.health;

import dev.pgdeck.model.ArchiverStats;
import dev.pgdeck.model.Fixtures;
import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.metrics.PrometheusTextParser;
import dev.pgdeck.model.systemd.FailedUnit;
import dev.pgdeck.model.systemd.SystemctlParser;
import dev.pgdeck.model.systemd.TimerStatus;
import dev.pgdeck.model.wal.Lsn;
import dev.pgdeck.model.wal.WalArchiveListing;
import dev.pgdeck.model.wal.WalSegment;
import dev.pgdeck.model.window.RecoverableWindows;
import dev.pgdeck.model.window.WindowPlanner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthEvaluatorTest {
    private static final Instant NOW = Instant.parse("2025-10-11T12:10:00Z");
    private static final HealthThresholds T = HealthThresholds.defaults();
    private static final List<String> EXPECTED_TIMERS = List.of("postgresql-basebackup-main.timer",
            "postgresql-walprune-main.timer", "restic-backups-postgresql-main-wal.timer");

    private static OffsetDateTime ago(Duration d) {
        return NOW.minus(d).atOffset(ZoneOffset.UTC);
    }

    private static ArchiverStats archiving() {
        return new ArchiverStats(1873, "0000000100000000000000F0", ago(Duration.ofMinutes(2)), 0, null, null);
    }

    private static BaseBackup backupAged(Duration age) {
        return new BaseBackup("b", ago(age.plusMinutes(5)), ago(age), new Lsn(0x2000028), new Lsn(0x2000170), 1, 10L, "x");
    }

    private static List<TimerStatus> timers() throws ParseException {
        return SystemctlParser.timers(Fixtures.read("systemd/list-timers-v252.json"));
    }

    private static HealthInput input(ArchiverStats a, ArchiveLag lag, List<BaseBackup> backups, RecoverableWindows w,
                                     List<FailedUnit> failed) throws ParseException {
        return new HealthInput("main", NOW, a, lag, backups, w, timers(), EXPECTED_TIMERS, failed,
                PrometheusTextParser.parse("h", Fixtures.read("metrics/postgresql_health.prom")));
    }

    @Test
    void allGoodIsOk() throws ParseException {
        Health h = HealthEvaluator.evaluate(input(archiving(), new ArchiveLag(0, Duration.ZERO, 0),
                List.of(backupAged(Duration.ofHours(10))), null, List.of()), T);
        assertEquals(HealthState.OK, h.state(), h.reasonTexts().toString());
        assertEquals("ok", h.state().json());
    }

    @Test
    void failingArchiverFails() throws ParseException {
        ArchiverStats a = new ArchiverStats(10, "000000010000000000000009", ago(Duration.ofHours(2)), 42,
                "00000001000000000000000A", ago(Duration.ofMinutes(1)));
        Health h = HealthEvaluator.evaluate(input(a, null, List.of(backupAged(Duration.ofHours(1))), null, List.of()), T);
        assertEquals(HealthState.FAIL, h.state());
        assertTrue(h.reasonTexts().get(0).startsWith("WAL archiving is failing: 00000001000000000000000A failed"),
                h.reasonTexts().toString());
    }

    @Test
    void oldFailureFollowedBySuccessIsFine() throws ParseException {
        ArchiverStats a = new ArchiverStats(10, "000000010000000000000009", ago(Duration.ofMinutes(1)), 1,
                "000000010000000000000005", ago(Duration.ofHours(3)));
        assertEquals(HealthState.OK, HealthEvaluator.evaluate(input(a, null, List.of(backupAged(Duration.ofHours(1))),
                null, List.of()), T).state());
    }

    @Test
    void nothingArchivedYetWarns() throws ParseException {
        Health h = HealthEvaluator.evaluate(input(new ArchiverStats(0, null, null, 0, null, null), null,
                List.of(backupAged(Duration.ofHours(1))), null, List.of()), T);
        assertEquals(HealthState.WARN, h.state());
        assertEquals(List.of("no WAL has been archived yet"), h.reasonTexts());
    }

    @Test
    void lagOverThresholdsWarnsThenFails() throws ParseException {
        List<BaseBackup> b = List.of(backupAged(Duration.ofHours(1)));
        Health warn = HealthEvaluator.evaluate(input(archiving(), new ArchiveLag(48_000_000, Duration.ofMinutes(25), 3), b, null, List.of()), T);
        assertEquals(HealthState.WARN, warn.state());
        assertEquals("WAL archiving is 25 min behind (48000000 bytes not archived), over the 10 min limit", warn.reasonTexts().get(0));
        Health fail = HealthEvaluator.evaluate(input(archiving(), new ArchiveLag(1, Duration.ofHours(3), 40), b, null, List.of()), T);
        assertEquals(HealthState.FAIL, fail.state());
        assertTrue(fail.reasonTexts().get(1).startsWith("40 WAL files are waiting"), fail.reasonTexts().toString());
    }

    @Test
    void staleOrMissingBaseBackups() throws ParseException {
        Health late = HealthEvaluator.evaluate(input(archiving(), null, List.of(backupAged(Duration.ofHours(30))), null, List.of()), T);
        assertEquals(HealthState.WARN, late.state());
        assertEquals("the last base backup is 1 d 6 h old, older than its schedule allows (1 d 2 h)", late.reasonTexts().get(0));
        Health veryLate = HealthEvaluator.evaluate(input(archiving(), null, List.of(backupAged(Duration.ofDays(3))), null, List.of()), T);
        assertEquals(HealthState.FAIL, veryLate.state());
        Health none = HealthEvaluator.evaluate(input(archiving(), null, List.of(), null, List.of()), T);
        assertEquals(List.of("there is no base backup"), none.reasonTexts());
    }

    @Test
    void gapInsideTheWindowWarnsAndGapAfterItFails() throws ParseException {
        BaseBackup b1 = new BaseBackup("b1", null, ago(Duration.ofHours(5)), new Lsn(0x3000000), new Lsn(0x3000100), 1, 1L, "x");
        BaseBackup b2 = new BaseBackup("b2", null, ago(Duration.ofHours(2)), new Lsn(0xC000000), new Lsn(0xC000100), 1, 1L, "x");
        StringBuilder listing = new StringBuilder();
        for (int n = 1; n <= 20; n++) {
            if (n != 8) {
                listing.append(new WalSegment(1, n).name()).append(" 16777216 ").append(NOW.minusSeconds(3600L * 6 - 1000L * n).getEpochSecond()).append('\n');
            }
        }
        RecoverableWindows inside = WindowPlanner.plan(List.of(b1, b2), WalArchiveListing.parse(listing.toString()),
                null, NOW.minusSeconds(60), Map.of());
        Health h = HealthEvaluator.evaluate(input(archiving(), null, List.of(b1, b2), inside, List.of()), T);
        assertEquals(HealthState.WARN, h.state());
        assertTrue(h.reasonTexts().get(0).startsWith("WAL gap inside the recoverable window"), h.reasonTexts().toString());
        assertTrue(h.reasonTexts().get(0).contains("000000010000000000000008 is missing"));

        RecoverableWindows after = WindowPlanner.plan(List.of(b1), WalArchiveListing.parse(listing.toString()), null,
                NOW.minusSeconds(60), Map.of());
        Health broken = HealthEvaluator.evaluate(input(archiving(), null, List.of(b1), after, List.of()), T);
        assertEquals(HealthState.FAIL, broken.state());
        assertTrue(broken.reasonTexts().get(0).startsWith("WAL gap after the newest usable base backup"), broken.reasonTexts().toString());
    }

    @Test
    void failedUnitsAndUnscheduledTimers() throws ParseException {
        List<FailedUnit> failed = SystemctlParser.failedUnits(Fixtures.read("systemd/list-units-failed.json"));
        HealthInput in = new HealthInput("main", NOW, archiving(), null, List.of(backupAged(Duration.ofHours(1))), null,
                timers(), List.of("postgresql-basebackup-analytics.timer", "postgresql-healthcheck-dev.timer"), failed, null);
        Health h = HealthEvaluator.evaluate(in, T);
        assertEquals(HealthState.FAIL, h.state());
        assertEquals(List.of("unit restic-backups-postgresql-main-wal.service has failed (restic backup postgresql-main-wal)",
                "timer postgresql-basebackup-analytics.timer is not scheduled to run again",
                "timer postgresql-healthcheck-dev.timer is not installed"), h.reasonTexts());
    }

    @Test
    void hostHealthCheckMetricCounts() throws ParseException {
        HealthInput in = new HealthInput("analytics", NOW, archiving(), null, List.of(backupAged(Duration.ofHours(1))),
                null, null, null, null, PrometheusTextParser.parse("h", Fixtures.read("metrics/postgresql_health.prom")));
        Health h = HealthEvaluator.evaluate(in, T);
        assertEquals(HealthState.FAIL, h.state());
        assertTrue(h.reasonTexts().get(0).contains("analytics unhealthy"));
    }

    @Test
    void unreadablePartsAreFindingsNotCrashes() {
        HealthInput in = new HealthInput("main", NOW, null, null, null, null, null, null, null, null);
        Health h = HealthEvaluator.evaluate(in, T);
        assertEquals(HealthState.WARN, h.state());
        assertEquals(2, h.reasons().size());
    }

    private static HealthInput drilled(boolean read, Instant lastDrill) {
        return new HealthInput("main", NOW, archiving(), new ArchiveLag(0, Duration.ZERO, 0),
                List.of(backupAged(Duration.ofHours(1))), null, null, null, List.of(), null, read, lastDrill);
    }

    @Test
    void neverDrilledIsAmberInWordsNotRed() {
        Health h = HealthEvaluator.evaluate(drilled(true, null), T);
        assertEquals(HealthState.WARN, h.state());
        assertEquals(List.of("no recovery drill has succeeded yet: nothing shows that the backups restore"
                + " (pgdeck drill runs one into a scratch copy)"), h.reasonTexts());
    }

    @Test
    void aDrillOlderThanThirtyDaysIsAmberWithItsAge() {
        Health h = HealthEvaluator.evaluate(drilled(true, NOW.minus(Duration.ofDays(45).plusHours(3))), T);
        assertEquals(HealthState.WARN, h.state());
        assertEquals(List.of("the last successful recovery drill was 45 d 3 h ago, longer than 30 d"), h.reasonTexts());
    }

    @Test
    void aRecentDrillSaysNothingAndAnUnreadLogSaysNothing() {
        assertEquals(HealthState.OK, HealthEvaluator.evaluate(drilled(true, NOW.minus(Duration.ofDays(29))), T).state());
        assertEquals(HealthState.OK, HealthEvaluator.evaluate(drilled(false, null), T).state());
    }

    @Test
    void theDrillThresholdIsConfigurable() {
        HealthThresholds weekly = new HealthThresholds(T.archiveLagWarn(), T.archiveLagFail(), T.readyFilesWarn(),
                T.backupAgeWarn(), T.backupAgeFail(), Duration.ofDays(7));
        Health h = HealthEvaluator.evaluate(drilled(true, NOW.minus(Duration.ofDays(8))), weekly);
        assertEquals(List.of("the last successful recovery drill was 8 d ago, longer than 7 d"), h.reasonTexts());
    }
}
