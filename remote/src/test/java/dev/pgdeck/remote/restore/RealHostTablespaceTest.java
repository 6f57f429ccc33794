package dev.pgdeck.remote.restore;

import static dev.pgdeck.remote.testing.OpenSshHost.require;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.testing.ArchivingCluster;
import dev.pgdeck.remote.testing.OpenSshHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, finding 2 on a real OpenSSH host with the seed002 profile (every command through {@code sudo -n -u
 * postgres}): an instance with table {@code big} (40,000 rows at the backup) in a tablespace outside its data
 * directory and {@code small} (20,000) in the default one, changed to restore point "target" (45,000 / 15,000) and
 * past it (50,000 / 0). A drill leaves the live tablespace as it was; in place, the kept copy started on its own still
 * has its rows; swap back serves them again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealHostTablespaceTest {
    @RegisterExtension
    static final OpenSshHost HOST = new OpenSshHost("main");

    static final String COUNTS = "SELECT (SELECT count(*) FROM big), (SELECT count(*) FROM small)";
    static final RestoreExecutor.Options OPTIONS = new RestoreExecutor.Options(Duration.ofMinutes(2),
            Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMillis(300));
    static Path tablespace;
    static String oid;
    static RestorePlan inPlace;

    private final CommandLog log = new CommandLog();

    @BeforeAll
    static void history() throws Exception {
        Path parent = HOST.root().resolve("srv/tablespaces");
        require(HOST.asRoot("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "755", parent.toString()));
        tablespace = parent.resolve("ts1");
        require(HOST.asPostgres("mkdir", "-m", "700", tablespace.toString()));
        HOST.sql("main", "ALTER SYSTEM SET autovacuum = off");
        HOST.sql("main", "SELECT pg_reload_conf()");
        HOST.sql("main", "CREATE TABLESPACE ts1 LOCATION '" + tablespace + "'");
        oid = HOST.sql("main", "SELECT oid FROM pg_tablespace WHERE spcname = 'ts1'");
        HOST.sql("main", "CREATE TABLE big (id int PRIMARY KEY, v text) TABLESPACE ts1");
        HOST.sql("main", "INSERT INTO big SELECT i, 'before' FROM generate_series(1, 40000) i");
        HOST.sql("main", "CREATE TABLE small (id int PRIMARY KEY, v text)");
        HOST.sql("main", "INSERT INTO small SELECT i, 'before' FROM generate_series(1, 20000) i");
        HOST.switchAndWait("main");
        HOST.baseBackup("main");
        HOST.sql("main", "INSERT INTO big SELECT i, 'to-target' FROM generate_series(40001, 45000) i");
        HOST.sql("main", "DELETE FROM small WHERE id > 15000");
        HOST.sql("main", "SELECT pg_create_restore_point('target')");
        HOST.sql("main", "INSERT INTO big SELECT i, 'after' FROM generate_series(45001, 50000) i");
        HOST.sql("main", "DELETE FROM small");
        HOST.switchAndWait("main");
        HOST.sql("main", "CHECKPOINT");
    }

    private RestoreWorkflow workflow(SshShell shell) {
        return new RestoreWorkflow(shell, HostProfile.builtIn("seed002"), HOST.variables(), "main", HOST.port("main"),
                Clock.systemUTC());
    }

    private RestoreReport run(RestoreMode mode) throws Exception {
        try (SshShell shell = HOST.shell(log)) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            RecoveryTarget target = RecoveryTarget.name("target");
            BaseBackup backup = w.chooseBackup(state, target, 1).orElseThrow();
            RestorePlan plan = w.plan(state, target, backup, 1, mode, mode == RestoreMode.DRILL
                    ? ArchivingCluster.freePort() : 0, COUNTS);
            var checks = w.preflight(plan, state, true);
            assertFalse(RestorePreflight.anyFailed(checks), checks.toString());
            if (mode == RestoreMode.IN_PLACE) {
                inPlace = plan;
            }
            return w.execute(plan, e -> { }, new RestoreCancel(), OPTIONS);
        }
    }

    @Test
    @Order(1)
    void aDrillVerifiesTheBackupWithItsTablespaceAndNeverTouchesTheLiveOne() throws Exception {
        HOST.sql("main", "CHECKPOINT");
        Map<String, String> before = TablespaceRestoreTest.listing(tablespace);

        RestoreReport report = run(RestoreMode.DRILL);

        assertTrue(report.succeeded(), report.account());
        assertEquals(java.util.List.of(java.util.List.of("45000", "15000")), report.verifyRows());
        assertEquals(before, TablespaceRestoreTest.listing(tablespace), "not a file of the live tablespace changed");
        assertEquals("50000|0", HOST.sql("main", COUNTS));
    }

    @Test
    @Order(2)
    void inPlaceTheKeptCopyWithItsTablespaceStillHasItsRowsAndSwapBackServesThem() throws Exception {
        RestoreReport report = run(RestoreMode.IN_PLACE);

        assertTrue(report.succeeded(), report.account());
        assertEquals("45000|15000", HOST.sql("main", COUNTS), "the restored instance has the target's rows");
        Path aside = Path.of(inPlace.asideDir());
        Path kept = Path.of(inPlace.kept(tablespace.toString()));
        assertEquals(kept, Files.readSymbolicLink(aside.resolve("pg_tblspc/" + oid)));
        assertEquals("50000|0", keptCopyCounts(aside), "the kept copy, started on its own, has the rows it had");

        RestoreReport back;
        try (SshShell shell = HOST.shell(log)) {
            RestoreWorkflow w = workflow(shell);
            back = w.execute(w.swapBackPlan(inPlace), e -> { }, new RestoreCancel(), OPTIONS);
        }
        assertTrue(back.succeeded(), back.account());
        assertEquals("50000|0", HOST.sql("main", COUNTS), "swap back serves the original rows again");
        assertEquals(tablespace, Files.readSymbolicLink(HOST.dataDir("main").resolve("pg_tblspc/" + oid)));
        assertFalse(Files.exists(kept), "moved back");
    }

    /** Starts a kept data directory as postgres on another port without archiving, counts, stops it. */
    private static String keptCopyCounts(Path dataDir) throws Exception {
        int port = ArchivingCluster.freePort();
        String pgCtl = OpenSshHost.PG_BIN + "/pg_ctl";
        // with a log file: without one the server would hold pg_ctl's output open
        require(HOST.asPostgres(pgCtl, "-D", dataDir.toString(), "-l", HOST.root().resolve("var/log/postgresql/kept-"
                + port + ".log").toString(), "-o", "-p " + port + " -c archive_mode=off", "-w", "-t", "60", "start"));
        try {
            return require(HOST.asPostgres(OpenSshHost.PG_BIN + "/psql", "-X", "-q", "-A", "-t", "-h",
                    OpenSshHost.SOCKET_DIR, "-p", Integer.toString(port), "-d", "postgres", "-c", COUNTS)).stdout()
                    .strip();
        } finally {
            require(HOST.asPostgres(pgCtl, "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60", "stop"));
        }
    }
}
