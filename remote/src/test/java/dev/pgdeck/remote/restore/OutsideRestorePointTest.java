package dev.pgdeck.remote.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.restore.BackupChooser;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.TargetValidator;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.testing.ArchivingCluster;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A restore point made with pg_create_restore_point() outside pgdeck (so not in its log), before a gap in the WAL
 * archive, with one backup before the gap and one after: only the older backup reaches it. pgdeck finds the point in
 * the archived WAL (pg_waldump) and plans from that backup; before, it took the backup after the gap.
 */
class OutsideRestorePointTest {
    static ArchivingCluster pg;

    @BeforeAll
    static void buildHost() throws Exception {
        pg = ArchivingCluster.start("outside");
        pg.sql().execute("CREATE TABLE t (id serial PRIMARY KEY, v text)");
        pg.sql().execute("INSERT INTO t (v) SELECT 'a' FROM generate_series(1, 10)");
        pg.switchAndWait();
        pg.baseBackup("20251011-100000", "-Xstream");
        pg.awaitBackupHistories(1, "first backup history file");
        pg.sql().execute("INSERT INTO t (v) SELECT 'b' FROM generate_series(1, 10)");
        pg.sql().queryOne("SELECT pg_create_restore_point('outside')::text", r -> r.getString(1));
        pg.sql().execute("INSERT INTO t (v) SELECT 'c' FROM generate_series(1, 10)");
        pg.switchAndWait();
        pg.sql().execute("INSERT INTO t (v) SELECT 'd' FROM generate_series(1, 10)");
        String lost = pg.switchAndWait();
        Files.delete(pg.archive().resolve(lost)); // the gap
        pg.baseBackup("20251011-110000", "-Xstream");
        pg.awaitBackupHistories(2, "second backup history file");
        pg.sql().execute("INSERT INTO t (v) SELECT 'e' FROM generate_series(1, 10)");
        pg.switchAndWait();
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void aRestorePointOutsidePgdecksLogBeforeAGapIsPlannedFromTheBackupBeforeIt() throws Exception {
        RestoreWorkflow w = new RestoreWorkflow(new LocalShell("test-host", new CommandLog()),
                HostProfile.builtIn("sandbox"), pg.values(), "main", pg.port(), Clock.systemUTC());
        InstanceRecovery state = w.read();
        RecoveryTarget target = RecoveryTarget.name("outside");
        assertFalse(state.facts().restorePoints().containsKey("outside"), "not in pgdeck's log");
        assertEquals(2, state.facts().windows().timeline(1).orElseThrow().runs().size(), "a gap splits the window");
        // what was chosen without looking into the WAL: the backup after the gap, which cannot reach the point
        assertEquals("20251011-110000", new BackupChooser(new TargetValidator()).choose(target, 1, state.facts())
                .orElseThrow().label());

        BaseBackup chosen = w.chooseBackup(state, target, 1).orElseThrow(
                () -> new AssertionError(w.explain(state, target, 1).reason()));

        assertEquals("20251011-100000", chosen.label());
        assertTrue(w.check(state, target, chosen, 1).valid());
        assertFalse(w.validBackups(state, target, 1).stream().anyMatch(b -> b.label().equals("20251011-110000")),
                "the backup after the point is not offered");
        assertTrue(w.check(state, RecoveryTarget.name("never-made"), chosen, 1).valid(), "unknown names stay"
                + " unplaced (a warning), as before");
        assertEquals(Map.of(), state.errors());
    }
}
