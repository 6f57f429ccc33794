package dev.pgdeck.model.restore;

import static dev.pgdeck.model.restore.RestoreFixtures.archive;
import static dev.pgdeck.model.restore.RestoreFixtures.archived;
import static dev.pgdeck.model.restore.RestoreFixtures.backup;
import static dev.pgdeck.model.restore.RestoreFixtures.facts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.wal.Lsn;
import dev.pgdeck.model.wal.WalSegment;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetValidatorTest {
    private final TargetValidator validator = new TargetValidator();
    private final BaseBackup b1 = backup("20251011-000100", 2);
    private final BaseBackup b2 = backup("20251011-000600", 7);

    private static RecoveryTarget at(long seconds) {
        return RecoveryTarget.time(RestoreFixtures.T0.plusSeconds(seconds).atOffset(ZoneOffset.UTC));
    }

    @Test
    void aTimeBetweenTwoBackupsIsRefusedWithTheNewerAndChosenFromTheOlder() throws Exception {
        RecoveryFacts f = facts(List.of(b1, b2), archive(1, 10), Map.of());
        RecoveryTarget t = at(300);

        TargetCheck withNewer = validator.check(t, b2, 1, f);
        assertFalse(withNewer.valid());
        assertEquals("target 2025-10-11 00:05:00 UTC is before backup 20251011-000600 finished (2025-10-11 00:06:30"
                + " UTC): a recovery from it cannot stop earlier; choose an older backup", withNewer.reason());
        assertTrue(validator.check(t, b1, 1, f).valid());
        assertEquals(b1, new BackupChooser(validator).choose(t, 1, f).orElseThrow());
        assertEquals(b2, new BackupChooser(validator).choose(at(500), 1, f).orElseThrow(), "newest that fits");
        assertEquals(List.of(b2, b1), new BackupChooser(validator).validBackups(at(500), 1, f));
    }

    @Test
    void aTargetBeforeEveryBackupDoesNotAdviseAnOlderOneThatDoesNotExist() throws Exception {
        RecoveryFacts f = facts(List.of(b1, b2), archive(1, 10), Map.of());
        RecoveryTarget y1999 = RecoveryTarget.time("1999-12-31T23:59:59Z");

        String reason = new BackupChooser(validator).explain(y1999, 1, f).reason();

        assertTrue(reason.startsWith("target 1999-12-31 23:59:59 UTC is before backup 20251011-000100 finished"),
                reason);
        assertFalse(reason.contains("choose an older backup"), reason);
        assertTrue(reason.endsWith("; there is no older base backup, so no recovery can reach it"), reason);
        // with an older one, the advice stays
        assertTrue(validator.check(y1999, b2, 1, f).reason().endsWith("; choose an older backup"));
        assertFalse(validator.check(RecoveryTarget.lsn("0/1"), b1, 1, f).reason().contains("older backup"));
    }

    @Test
    void aTimePastTheLastArchivedWalIsRefused() throws Exception {
        RecoveryFacts f = facts(List.of(b1, b2), archive(1, 10), Map.of());
        TargetCheck c = validator.check(at(700), b2, 1, f);
        assertFalse(c.valid());
        assertEquals("target 2025-10-11 00:11:40 UTC is past the last archived WAL: the latest recoverable time is"
                + " 2025-10-11 00:10:00 UTC", c.reason());
        assertFalse(new BackupChooser(validator).choose(at(700), 1, f).isPresent());
        assertTrue(new BackupChooser(validator).explain(at(700), 1, f).reason().contains("past the last archived WAL"));
    }

    @Test
    void aTimeBeyondAGapIsRefusedFromTheBackupBeforeIt() throws Exception {
        RecoveryFacts f = facts(List.of(b1, b2), archive(1, 10, 5L), Map.of());
        TargetCheck c = validator.check(at(330), b1, 1, f);
        assertFalse(c.valid());
        assertTrue(c.reason().startsWith("target 2025-10-11 00:05:30 UTC lies past a gap in the WAL archive: segment "
                + new WalSegment(1, 5).name() + " is missing"), c.reason());
        // inside the gap no backup helps: b2 stops after it
        assertFalse(new BackupChooser(validator).choose(at(330), 1, f).isPresent());
        // after b2's stop, b2 covers it
        assertEquals(b2, new BackupChooser(validator).choose(at(480), 1, f).orElseThrow());
        assertTrue(validator.check(at(480), b1, 1, f).reason().contains("choose a backup taken after the gap"));
    }

    @Test
    void aTimeNotBeforeTheLastArchivedCommitIsRefusedWithTheReasonAndTheChoiceOfLatest() throws Exception {
        var archive = archive(1, 10);
        // segment 10 holds no commit; 9's last commit is 20.5 s before it was archived
        java.time.Instant commit = archived(9).minusMillis(20_500);
        Map<String, dev.pgdeck.model.wal.SegmentStops> stops = Map.of(
                new WalSegment(1, 10).name(), new dev.pgdeck.model.wal.SegmentStops(new WalSegment(1, 10).name(), null, 0, null),
                new WalSegment(1, 9).name(), new dev.pgdeck.model.wal.SegmentStops(new WalSegment(1, 9).name(), commit, 4, null));
        RecoveryFacts f = new RecoveryFacts(List.of(b1), archive, Map.of(), dev.pgdeck.model.window.WindowPlanner.plan(
                List.of(b1), archive, 1, archive.newest(), archived(10), Map.of(), stops, 4), Map.of());
        RecoveryTarget before = RecoveryTarget.time(commit.minusSeconds(1).atOffset(ZoneOffset.UTC));
        RecoveryTarget after = RecoveryTarget.time(commit.plusSeconds(1).atOffset(ZoneOffset.UTC));
        RecoveryTarget exactly = RecoveryTarget.time(commit.atOffset(ZoneOffset.UTC));
        assertTrue(validator.check(before, b1, 1, f).valid());
        TargetCheck c = validator.check(after, b1, 1, f);
        assertFalse(c.valid());
        assertEquals("target 2025-10-11 00:08:40.500000 UTC is not before the last commit in the archived WAL"
                + " (2025-10-11 00:08:39.500000 UTC): recovery to a time stops only at a commit or abort later than"
                + " the target, so it would replay all archived WAL and end without reaching it; choose a time"
                + " before 2025-10-11 00:08:39.500000 UTC, or \"latest\" to recover everything archived (to"
                + " 2025-10-11 00:10:00 UTC)", c.reason());
        // recovery_target_inclusive (the default) stops after the first commit later than the target: not at it
        assertFalse(validator.check(exactly, b1, 1, f).valid());
        assertFalse(new BackupChooser(validator).choose(after, 1, f).isPresent());
        assertTrue(validator.check(RecoveryTarget.latest(), b1, 1, f).valid());
    }

    @Test
    void nearTheEdgesIsWarnedNotRefused() throws Exception {
        RecoveryFacts f = facts(List.of(b1), archive(1, 10), Map.of());
        TargetCheck early = validator.check(at(100), b1, 1, f);
        assertTrue(early.valid());
        assertEquals(List.of("target is within 60 s of the backup's end (2025-10-11 00:01:30 UTC)"), early.warnings());
        TargetCheck late = validator.check(at(580), b1, 1, f);
        assertTrue(late.valid());
        assertEquals(1, late.warnings().size());
        assertTrue(late.warnings().get(0).startsWith("target is within 60 s of the last archived WAL"));
        assertEquals(List.of(), validator.check(at(300), b1, 1, f).warnings());
    }

    @Test
    void lsnAndKnownRestorePointsAreCheckedAgainstTheBackupAndTheArchive() throws Exception {
        Lsn inSeg4 = new Lsn(new WalSegment(1, 4).startLsn().value() + 10);
        RecoveryFacts f = facts(List.of(b1, b2), archive(1, 10), Map.of("before_upgrade", inSeg4));
        assertTrue(validator.check(RecoveryTarget.lsn(inSeg4.toString()), b1, 1, f).valid());
        TargetCheck before = validator.check(RecoveryTarget.lsn(inSeg4.toString()), b2, 1, f);
        assertTrue(before.reason().startsWith("LSN " + inSeg4 + " is before backup 20251011-000600 finished"));
        TargetCheck named = validator.check(RecoveryTarget.name("before_upgrade"), b2, 1, f);
        assertTrue(named.reason().startsWith("restore point \"before_upgrade\" (at " + inSeg4 + ") is before backup"),
                named.reason());
        Lsn past = new WalSegment(1, 12).startLsn();
        assertTrue(validator.check(RecoveryTarget.lsn(past.toString()), b2, 1, f).reason()
                .contains("is past the last archived WAL"));
        TargetCheck unknown = validator.check(RecoveryTarget.name("never-made"), b2, 1, f);
        assertTrue(unknown.valid());
        assertTrue(unknown.warnings().get(0).contains("is not in pgdeck's restore-point log"));
    }

    @Test
    void targetsThatCannotBePlacedAheadTakeTheOldestBackupWithUnbrokenWal() throws Exception {
        BackupChooser chooser = new BackupChooser(validator);
        RecoveryFacts f = facts(List.of(b1, b2), archive(1, 10), Map.of("logged", new WalSegment(1, 8).startLsn()));
        assertEquals(b1, chooser.choose(RecoveryTarget.name("not-logged"), 1, f).orElseThrow());
        assertEquals(b1, chooser.choose(RecoveryTarget.xid("735"), 1, f).orElseThrow());
        assertEquals(b2, chooser.choose(RecoveryTarget.name("logged"), 1, f).orElseThrow(), "placed: newest");
        RecoveryFacts gap = facts(List.of(b1, b2), archive(1, 10, 5L), Map.of());
        assertEquals(b2, chooser.choose(RecoveryTarget.name("not-logged"), 1, gap).orElseThrow(),
                "b1's WAL stops at the gap");
    }

    @Test
    void malformedTargetsAreRefusedWithWhatWasWrong() {
        assertEquals("target time \"yesterday\" is not a time with a zone, e.g. 2025-10-11T14:30:00Z or"
                + " 2025-10-11 14:30:00+02", assertThrows(IllegalArgumentException.class,
                        () -> RecoveryTarget.time("yesterday")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RecoveryTarget.xid("12a"));
        assertThrows(IllegalArgumentException.class, () -> RecoveryTarget.lsn("0/XYZ"));
        assertThrows(IllegalArgumentException.class, () -> RecoveryTarget.name("x".repeat(64)));
        assertEquals("2025-10-11T12:30Z", RecoveryTarget.time("2025-10-11 14:30:00+02").time().toString());
    }

    @Test
    void everyTargetSetsTheTimelineExplicitlyAndPromotes() {
        assertEquals(Map.of("recovery_target_timeline", "3", "recovery_target_action", "promote"),
                RecoveryTarget.latest().settings(3));
        assertEquals("2025-10-11 12:30:00.000000+00:00",
                RecoveryTarget.time("2025-10-11T12:30:00Z").settings(1).get("recovery_target_time"));
        assertEquals("immediate", RecoveryTarget.immediate().settings(1).get("recovery_target"));
        assertEquals("1", RecoveryTarget.xid("735").settings(1).get("recovery_target_timeline"));
        assertEquals("0/15007A8", RecoveryTarget.lsn("0/15007a8").settings(1).get("recovery_target_lsn"));
    }

    @Test
    void continuityFindsTheMissingSegmentBetweenBackupAndTarget() throws Exception {
        RecoveryFacts f = facts(List.of(b1, b2), archive(1, 10, 5L), Map.of());
        PreflightCheck c = WalChecks.continuity(RecoveryTarget.latest(), b1, 1, f, true);
        assertTrue(c.failed());
        assertTrue(c.detail().startsWith("segment " + new WalSegment(1, 5).name() + " is missing"), c.detail());
        PreflightCheck ok = WalChecks.continuity(at(230), b1, 1, f, true);
        assertFalse(ok.failed(), ok.detail());
        assertEquals("3 segments from 000000010000000000000002 to 000000010000000000000004 are all archived on the"
                + " path to timeline 1", ok.detail());
        assertTrue(WalChecks.timelineHistory(2, f).failed());
    }
}
