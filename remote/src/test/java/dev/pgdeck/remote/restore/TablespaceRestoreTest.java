package dev.pgdeck.remote.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.backup.BackupVerification;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.overview.BaseBackupSummary;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.pg.CurrentUser;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.pg.InstancePool;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.probe.BackupVerifier;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.probe.HostOverviewProbe;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.testing.ArchivingCluster;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Restores of an instance with a tablespace outside its data directory (issue 12, finding 2): a real PostgreSQL 15
 * with table {@code big} (40,000 rows at the backup) in tablespace {@code ts1} and table {@code small} (20,000) in
 * the default one, and a {@code pg_basebackup -Ft -z -Xstream} that has {@code base.tar.gz} (with a
 * {@code tablespace_map}), {@code <oid>.tar.gz} and {@code pg_wal.tar.gz}. After the backup both tables change up to
 * restore point "target" (45,000 / 15,000) and again after it (50,000 / 0).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TablespaceRestoreTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();

    static final String LABEL = "20251011-120000";
    static ArchivingCluster pg;
    static String oid;

    @BeforeAll
    static void buildHost() throws Exception {
        // no autovacuum: nothing but the tests themselves may write into the live tablespace
        pg = ArchivingCluster.start("tablespace", Map.of("autovacuum", "off"), "ts1");
        LoggedSql sql = pg.sql();
        oid = sql.queryOne("SELECT oid::text FROM pg_tablespace WHERE spcname = 'ts1'", r -> r.getString(1));
        sql.execute("CREATE TABLE big (id int PRIMARY KEY, v text) TABLESPACE ts1");
        sql.execute("INSERT INTO big SELECT i, 'before' FROM generate_series(1, 40000) i");
        sql.execute("CREATE TABLE small (id int PRIMARY KEY, v text)");
        sql.execute("INSERT INTO small SELECT i, 'before' FROM generate_series(1, 20000) i");
        pg.switchAndWait();
        pg.baseBackup(LABEL, "-Xstream", "-l", "tablespace backup");
        pg.awaitBackupHistories(1, "backup history file");
        sql.execute("INSERT INTO big SELECT i, 'to-target' FROM generate_series(40001, 45000) i");
        sql.execute("DELETE FROM small WHERE id > 15000");
        new HostActions(pg.shell(), HostProfile.builtIn("sandbox"), pg.values(), Clock.systemUTC())
                .createRestorePoint("main", pg.port(), "target");
        sql.execute("INSERT INTO big SELECT i, 'after' FROM generate_series(45001, 50000) i");
        sql.execute("DELETE FROM small");
        pg.switchAndWait();
        sql.execute("CHECKPOINT");
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    @Order(1)
    void theBackupHasTheTablespacesTarAndItsMapInBaseTar() throws Exception {
        Path dir = pg.backups().resolve(LABEL);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(oid + ".tar.gz", "backup_manifest", "base.tar.gz", "pg_wal.tar.gz"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        CommandResult map = pg.shell().run(HostCommand.of("tar", "-xzOf", dir.resolve("base.tar.gz").toString(),
                "tablespace_map"), Duration.ofSeconds(30));
        assertTrue(map.succeeded(), map.describeFailure());
        assertEquals(oid + " " + pg.tablespaceDir() + "\n", map.stdout());
        assertEquals(List.of(50000L, 0L), counts(pg.sql()), "the live instance after the changes");
    }

    @Test
    @Order(1)
    void theBackupListShowsTheBackupsTablespace() throws Exception {
        HostStatus host;
        try (SshShell shell = ssh()) {
            host = new HostOverviewProbe(shell, HostProfile.builtIn("sandbox"), pg.values())
                    .probe(List.of(new HostOverviewProbe.Instance("main", pg.port())));
        }
        BaseBackupSummary backup = host.instances().get(0).baseBackups().get(0);
        assertEquals(LABEL, backup.label());
        assertEquals(List.of(oid), backup.tablespaces());
    }

    @Test
    @Order(1)
    void pgVerifyBackupOfTheBackupUnpacksTheTablespaceTooAndPasses() throws Exception {
        BackupVerification v;
        try (SshShell shell = ssh()) {
            v = new BackupVerifier(shell, HostProfile.builtIn("sandbox"), pg.values()).verify("main", pg.port(),
                    LABEL);
        }
        assertTrue(v.ok(), v.problems().toString());
        assertEquals("the backup", v.walSource());
        try (Stream<Path> tmp = Files.list(Path.of("/tmp"))) {
            assertEquals(List.of(), tmp.filter(p -> p.getFileName().toString().startsWith("pgdeck-verify."))
                    .filter(p -> Files.exists(p.resolve("pgdeck-tablespaces"))).toList(), "unpacked copy removed");
        }
    }

    @Test
    @Order(2)
    void aDrillExtractsTheTablespaceIntoItsScratchCopyVerifiesItAndNeverTouchesTheLiveOne() throws Exception {
        pg.sql().execute("CHECKPOINT"); // whatever the live server had to write is written before the listing
        Map<String, String> before = listing(pg.tablespaceDir());
        RestorePlan plan;
        RestoreReport report;
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            RecoveryTarget target = RecoveryTarget.name("target");
            BaseBackup backup = w.chooseBackup(state, target, 1).orElseThrow();
            plan = w.plan(state, target, backup, 1, RestoreMode.DRILL, ArchivingCluster.freePort(), COUNTS);
            assertFalse(RestorePreflight.anyFailed(w.preflight(plan, state, false)));
            report = w.execute(plan, RestoreListener.NONE, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
        }
        assertTrue(report.succeeded(), report.account());
        assertTrue(report.steps().stream().anyMatch(s -> s.name().equals("Verify the backup against its manifest")
                && s.status() == StepResult.Status.DONE), report.steps().toString());
        assertEquals(List.of(List.of("45000", "15000")), report.verifyRows());
        assertEquals(before, listing(pg.tablespaceDir()), "not a file of the live tablespace changed");
        assertFalse(Files.exists(Path.of(plan.workDir())), "the scratch copy and its tablespace are removed");
        assertEquals(List.of(50000L, 0L), counts(pg.sql()));
    }

    @Test
    @Order(2)
    void aDrillFromResticAloneRestoresTheTablespaceTooWithoutTouchingTheLiveOne() throws Exception {
        Assumptions.assumeTrue(pg.resticInstalled(), "restic is not installed");
        pg.initRestic();
        pg.resticSnapshot("main", "base-backup", pg.backups());
        pg.resticSnapshot("main", "wal-archive", pg.archive());
        pg.sql().execute("CHECKPOINT");
        Map<String, String> before = listing(pg.tablespaceDir());
        Path lostBackups = pg.root().resolve("lost-backups");
        Path lostArchive = pg.root().resolve("lost-archive");
        Files.move(pg.backups(), lostBackups);
        Files.move(pg.archive(), lostArchive);
        RestoreReport report;
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.readFromRestic(null, null);
            RecoveryTarget target = RecoveryTarget.name("target");
            RestorePlan plan = w.plan(state, target, w.chooseBackup(state, target, 1).orElseThrow(), 1,
                    RestoreMode.DRILL, ArchivingCluster.freePort(), COUNTS);
            assertEquals(List.of(oid), List.copyOf(plan.tablespaces().keySet()));
            report = w.execute(plan, RestoreListener.NONE, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
        } finally {
            Files.move(lostBackups, pg.backups());
            Files.move(lostArchive, pg.archive());
        }
        assertTrue(report.succeeded(), report.account());
        assertEquals(List.of(List.of("45000", "15000")), report.verifyRows());
        assertEquals(before, listing(pg.tablespaceDir()), "not a file of the live tablespace changed");
    }

    static RestorePlan inPlace;

    @Test
    @Order(3)
    void inPlaceTheTablespaceIsMovedAsideWithTheDataDirectoryAndTheKeptCopyStillHasItsRows() throws Exception {
        pg.closePool();
        RestoreReport report;
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            RecoveryTarget target = RecoveryTarget.name("target");
            BaseBackup backup = w.chooseBackup(state, target, 1).orElseThrow();
            inPlace = w.plan(state, target, backup, 1, RestoreMode.IN_PLACE, 0, COUNTS);
            var checks = w.preflight(inPlace, state, true);
            assertFalse(RestorePreflight.anyFailed(checks), checks.toString());
            assertTrue(checks.stream().anyMatch(c -> c.name().equals("Tablespaces") && c.detail().startsWith(
                    pg.tablespaceDir() + " kept aside as " + pg.tablespaceDir() + ".pre-restore-")), checks.toString());
            report = w.execute(inPlace, RestoreListener.NONE, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
        }
        assertTrue(report.succeeded(), report.account());
        assertEquals(List.of(List.of("45000", "15000")), report.verifyRows());
        pg.openPool("restored");
        assertEquals(List.of(45000L, 15000L), counts(pg.sql()), "the restored instance has the target's rows");
        Path aside = Path.of(inPlace.asideDir());
        assertEquals(List.of(50000L, 0L), keptCopyCounts(aside), "the kept copy, on its own, has the rows it had");
        assertEquals(List.of(45000L, 15000L), counts(pg.sql()), "and the restored instance still its own");

        assertEquals(pg.tablespaceDir(), Files.readSymbolicLink(pg.dataDir().resolve("pg_tblspc/" + oid)));
        String stamp = aside.getFileName().toString().substring("main.pre-restore-".length());
        Path keptTablespace = Path.of(pg.tablespaceDir() + ".pre-restore-" + stamp);
        assertTrue(Files.isDirectory(keptTablespace.resolve("PG_15_202209061")), keptTablespace.toString());
        assertEquals(keptTablespace, Files.readSymbolicLink(aside.resolve("pg_tblspc/" + oid)),
                "the kept copy points at its own tablespace, not at the restored one");
        assertTrue(report.account().contains(keptTablespace.toString()), report.account());
    }

    @Test
    @Order(4)
    void swapBackPutsTheDataDirectoryAndTheTablespaceBack() throws Exception {
        RestorePlan swap;
        RestoreReport back;
        pg.closePool();
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            swap = w.swapBackPlan(inPlace);
            back = w.execute(swap, RestoreListener.NONE, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
        }
        assertTrue(back.succeeded(), back.account());
        pg.openPool("swapped-back");
        assertEquals(List.of(50000L, 0L), counts(pg.sql()), "the original rows are served again");
        assertEquals(pg.tablespaceDir(), Files.readSymbolicLink(pg.dataDir().resolve("pg_tblspc/" + oid)));
        String stamp = Path.of(inPlace.asideDir()).getFileName().toString().substring("main.pre-restore-".length());
        assertFalse(Files.exists(Path.of(inPlace.asideDir())));
        assertFalse(Files.exists(Path.of(pg.tablespaceDir() + ".pre-restore-" + stamp)), "moved back");
        Path restored = Path.of(swap.asideDir());
        String restoredStamp = restored.getFileName().toString().substring("main.restored-".length());
        Path restoredTablespace = Path.of(pg.tablespaceDir() + ".restored-" + restoredStamp);
        assertEquals(restoredTablespace, Files.readSymbolicLink(restored.resolve("pg_tblspc/" + oid)),
                "the restored copy is kept whole, with its own tablespace");
        assertEquals(List.of(45000L, 15000L), keptCopyCounts(restored));
    }

    @Test
    @Order(5)
    void aRestoreThatFailsHalfWayIsSwappedBackWithItsTablespace() throws Exception {
        for (String dropAt : List.of("Extract the base backup", "Extract the tablespaces")) {
            pg.closePool();
            RestorePlan plan;
            RestoreReport report;
            try (SshShell shell = ssh()) {
                RestoreWorkflow w = workflow(shell);
                InstanceRecovery state = w.read();
                plan = w.plan(state, RecoveryTarget.latest(), state.facts().backups().get(0), 1,
                        RestoreMode.IN_PLACE, 0, null);
                report = w.execute(plan, event -> {
                    if (event instanceof RestoreEvent.StepStarted st && st.step().name().equals(dropAt)) {
                        try {
                            SSH.stop();
                        } catch (java.io.IOException e) {
                            throw new AssertionError(e);
                        }
                    }
                }, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
            } finally {
                SSH.restart();
            }
            assertEquals(RestoreReport.Outcome.FAILED, report.outcome(), dropAt + ": " + report.account());
            assertTrue(report.account().contains("its tablespaces at " + plan.kept(pg.tablespaceDir().toString())),
                    report.account());
            assertFalse(Files.exists(pg.tablespaceDir().resolve("PG_15_202209061")), dropAt + ": not restored yet");

            RestoreReport back;
            try (SshShell shell = ssh()) {
                RestoreWorkflow w = workflow(shell);
                back = w.execute(w.swapBackPlan(plan), RestoreListener.NONE, new RestoreCancel(),
                        RestoreExecutor.Options.DEFAULT);
            }
            assertTrue(back.succeeded(), dropAt + ": " + back.account());
            pg.openPool("back-" + dropAt.length());
            assertEquals(List.of(50000L, 0L), counts(pg.sql()), dropAt + ": the original rows are served again");
            assertEquals(pg.tablespaceDir(), Files.readSymbolicLink(pg.dataDir().resolve("pg_tblspc/" + oid)));
            assertFalse(Files.exists(Path.of(plan.kept(pg.tablespaceDir().toString()))), dropAt + ": moved back");
        }
    }

    @Test
    @Order(6)
    void aTablespaceThatFailsToExtractAfterTheStopIsPutBackWithTheDataDirectoryAndTheInstanceRuns() throws Exception {
        pg.closePool();
        RestorePlan plan;
        RestoreReport report;
        Path tar = pg.backups().resolve(LABEL).resolve(oid + ".tar.gz");
        byte[] intact = Files.readAllBytes(tar);
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            plan = w.plan(state, RecoveryTarget.latest(), state.facts().backups().get(0), 1, RestoreMode.IN_PLACE, 0,
                    null);
            assertFalse(RestorePreflight.anyFailed(w.preflight(plan, state, true)));
            // the tablespace's tar breaks after it was checked: its extraction fails once the instance is stopped
            Files.write(tar, java.util.Arrays.copyOf(intact, intact.length / 2));
            report = w.execute(plan, RestoreListener.NONE, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
        } finally {
            Files.write(tar, intact);
        }
        assertEquals(RestoreReport.Outcome.FAILED, report.outcome(), report.account());
        assertTrue(report.account().contains("Extract the tablespaces"), report.account());
        assertTrue(report.putBack(), report.account());
        assertTrue(report.account().contains("with its tablespaces at " + pg.tablespaceDir()), report.account());
        pg.openPool("put-back");
        assertEquals(List.of(50000L, 0L), counts(pg.sql()), "the instance runs again with its own rows");
        assertEquals(pg.tablespaceDir(), Files.readSymbolicLink(pg.dataDir().resolve("pg_tblspc/" + oid)));
        assertFalse(Files.exists(Path.of(plan.kept(pg.tablespaceDir().toString()))), "moved back, not left aside");
        String stamp = plan.asideDir().substring(plan.asideDir().lastIndexOf(".pre-restore-") + 13);
        assertTrue(Files.isDirectory(Path.of(pg.tablespaceDir() + ".failed-restore-" + stamp)),
                "the half-extracted tablespace is kept beside the failed attempt, not deleted");
    }

    private static final String COUNTS = "SELECT (SELECT count(*) FROM big), (SELECT count(*) FROM small)";

    private final CommandLog log = new CommandLog();

    private SshShell ssh() {
        return new SshShell(SSH.target("db1", SSH.knownHosts()), log, HostKeyPrompt.REFUSE, PassphraseSource.NONE);
    }

    private static RestoreWorkflow workflow(SshShell shell) {
        return new RestoreWorkflow(shell, HostProfile.builtIn("sandbox"), pg.values(), "main", pg.port(),
                Clock.systemUTC());
    }

    /**
     * Starts a kept data directory on its own (another port, no archiving: it must not write into the archive),
     * counts the rows, stops it.
     */
    private static List<Long> keptCopyCounts(Path dataDir) throws Exception {
        int port = ArchivingCluster.freePort();
        List<String> server = CurrentUser.isRoot() ? List.of("unshare", "-U") : List.of();
        String pgCtl = pg.binaries().tool("pg_ctl").toString();
        List<String> start = new ArrayList<>(server);
        start.addAll(List.of(pgCtl, "-D", dataDir.toString(), "-l", pg.root().resolve("kept-" + port + ".log")
                .toString(), "-o", "-p " + port + " -c archive_mode=off", "-w", "-t", "60", "start"));
        CommandResult started = pg.shell().run(HostCommand.of(start), Duration.ofSeconds(90));
        assertTrue(started.succeeded(), started.describeFailure() + "\n" + Files.readString(
                pg.root().resolve("kept-" + port + ".log")));
        try (InstancePool pool = InstancePool.open("kept-" + port, "127.0.0.1", port, "postgres", "postgres",
                false)) {
            return counts(new LoggedSql(pool.dataSource(), new CommandLog(), "test/kept"));
        } finally {
            List<String> stop = new ArrayList<>(server);
            stop.addAll(List.of(pgCtl, "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60", "stop"));
            CommandResult stopped = pg.shell().run(HostCommand.of(stop), Duration.ofSeconds(90));
            assertTrue(stopped.succeeded(), stopped.describeFailure());
        }
    }

    /** Every file and directory under {@code dir} with its size and modification time. */
    static Map<String, String> listing(Path dir) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                files.put(dir.relativize(p).toString(), Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return files;
    }

    /** The rows of {@code big} and {@code small}. */
    static List<Long> counts(LoggedSql sql) throws Exception {
        return List.of(sql.<Long>queryOne("SELECT count(*) FROM big", r -> r.getLong(1)),
                sql.<Long>queryOne("SELECT count(*) FROM small", r -> r.getLong(1)));
    }
}
