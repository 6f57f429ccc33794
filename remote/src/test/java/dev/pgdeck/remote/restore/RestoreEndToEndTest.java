package dev.pgdeck.remote.restore;

import static dev.pgdeck.remote.testing.ArchivingCluster.freePort;
import static dev.pgdeck.remote.testing.ArchivingCluster.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.model.restore.RestorePlanner;
import dev.pgdeck.model.restore.TargetCheck;
import dev.pgdeck.remote.drill.DrillRecord;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.pg.InstancePool;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.testing.ArchivingCluster;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Point-in-time recovery end to end over the embedded SSH server: a real PostgreSQL 15 archiving into a real WAL
 * archive, a real pg_basebackup in the seed-002 layout, drills to a named restore point and to a time with the rows
 * checked exactly, a target past the archive refused, a missing segment caught before anything runs, and an
 * in-place restore that keeps the replaced data directory.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreEndToEndTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();

    static final String VERIFY = "SELECT v, count(*) FROM t GROUP BY v ORDER BY v";
    static ArchivingCluster pg;
    static OffsetDateTime afterB;
    static String xidB;
    static String segmentAfterB;

    @BeforeAll
    static void buildHost() throws Exception {
        pg = ArchivingCluster.start("restore");
        LoggedSql sql = pg.sql();
        sql.execute("CREATE TABLE t (id serial PRIMARY KEY, v text)");
        sql.execute("INSERT INTO t (v) SELECT 'a' FROM generate_series(1, 100)");
        pg.switchAndWait();
        pg.baseBackup("20251011-120000", "-Xstream", "-l", "test backup");
        pg.awaitBackupHistories(1, "backup history file");
        xidB = sql.queryOne("WITH i AS (INSERT INTO t (v) SELECT 'b' FROM generate_series(1, 100) RETURNING xmin)"
                + " SELECT max(xmin::text) FROM i", r -> r.getString(1));
        new HostActions(pg.shell(), HostProfile.builtIn("sandbox"), pg.values(), Clock.systemUTC())
                .createRestorePoint("main", pg.port(), "after-b");
        afterB = sql.queryOne("SELECT clock_timestamp()", r -> r.getObject(1, OffsetDateTime.class));
        segmentAfterB = pg.switchAndWait();
        sql.execute("SELECT pg_sleep(1.2)");
        sql.execute("INSERT INTO t (v) SELECT 'c' FROM generate_series(1, 100)");
        pg.switchAndWait();
        sql.execute("INSERT INTO t (v) SELECT 'd' FROM generate_series(1, 100)");
        pg.switchAndWait();
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    private final CommandLog log = new CommandLog();

    private SshShell ssh() {
        return new SshShell(SSH.target("db1", SSH.knownHosts()), log, HostKeyPrompt.REFUSE, PassphraseSource.NONE);
    }

    private static RestoreWorkflow workflow(SshShell shell) {
        return new RestoreWorkflow(shell, HostProfile.builtIn("sandbox"), pg.values(), "main", pg.port(),
                Clock.systemUTC());
    }

    /** Plans, checks and runs a drill; the events seen are added to {@code events}. */
    private RestoreReport drill(RecoveryTarget target, List<RestoreEvent> events) throws Exception {
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            assertEquals(Map.of(), state.errors());
            BaseBackup backup = w.chooseBackup(state, target, 1).orElseThrow(
                    () -> new AssertionError(w.explain(state, target, 1).reason()));
            RestorePlan plan = w.plan(state, target, backup, 1, RestoreMode.DRILL, freePort(), VERIFY);
            List<PreflightCheck> checks = w.preflight(plan, state, true);
            assertFalse(RestorePreflight.anyFailed(checks), checks.toString());
            return w.execute(plan, events::add, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
        }
    }

    @Test
    @Order(1)
    void drillToANamedRestorePointHasExactlyTheRowsBeforeItAndLeavesNothingBehind() throws Exception {
        List<String> archiveBefore = pg.listArchive();
        List<RestoreEvent> events = new CopyOnWriteArrayList<>();

        RestoreReport report = drill(RecoveryTarget.name("after-b"), events);

        assertTrue(report.succeeded(), report.account());
        assertTrue(report.reached(), report.progress().toString());
        assertEquals(List.of(List.of("a", "100"), List.of("b", "100")), report.verifyRows());
        assertEquals(2, report.timeline());
        assertTrue(report.progress().stoppingLine().startsWith("recovery stopping at restore point \"after-b\""),
                report.progress().stoppingLine());
        assertTrue(report.progress().consistent());
        assertTrue(report.progress().restoredSegments() >= 1);
        assertNotNull(report.rtoSeconds());
        assertTrue(report.steps().stream().allMatch(s -> s.status() == StepResult.Status.DONE), report.steps().toString());
        assertTrue(events.stream().anyMatch(e -> e instanceof RestoreEvent.LogLine l
                && l.line().contains("selected new timeline ID: 2")));
        assertEquals(report.steps().size(), events.stream().filter(e -> e instanceof RestoreEvent.StepFinished).count());
        // a drill writes nothing into the production archive: no new timeline history, no new segment
        assertEquals(archiveBefore, pg.listArchive());
        assertFalse(pg.listArchive().contains("00000002.history"));
        // the scratch copy is gone, the instance's data untouched and still serving
        try (Stream<Path> siblings = Files.list(pg.dataDir().getParent())) {
            assertEquals(List.of(), siblings.map(p -> p.getFileName().toString()).filter(n -> n.contains(".drill-"))
                    .toList());
        }
        assertEquals(Long.valueOf(400), pg.sql().<Long>queryOne("SELECT count(*) FROM t", r -> r.getLong(1)));
        // and the drill is in the drill log
        try (SshShell shell = ssh()) {
            DrillRecord last = workflow(shell).drills().lastSuccessful().orElseThrow();
            assertEquals("name after-b", last.target());
            assertEquals(2, last.verifyRows());
            assertTrue(workflow(shell).drills().lastSuccessfulAge().orElseThrow().toSeconds() < 120);
        }
    }

    @Test
    @Order(2)
    void drillToATimeStopsBeforeTheFirstLaterCommit() throws Exception {
        RestoreReport report = drill(RecoveryTarget.time(afterB), new ArrayList<>());

        assertTrue(report.succeeded(), report.account());
        assertTrue(report.reached());
        assertEquals(List.of(List.of("a", "100"), List.of("b", "100")), report.verifyRows());
        assertTrue(report.progress().stoppingLine().startsWith("recovery stopping before commit of transaction"),
                report.progress().stoppingLine());
    }

    @Test
    @Order(2)
    void drillsToAnXidAnLsnTheBackupsEndAndTheLatestReachExactlyTheirRows() throws Exception {
        String pointLsn;
        try (SshShell shell = ssh()) {
            pointLsn = workflow(shell).read().facts().restorePoints().get("after-b").toString();
        }
        Map<RecoveryTarget, List<List<String>>> expected = new java.util.LinkedHashMap<>();
        expected.put(RecoveryTarget.xid(xidB), List.of(List.of("a", "100"), List.of("b", "100")));
        expected.put(RecoveryTarget.lsn(pointLsn), List.of(List.of("a", "100"), List.of("b", "100")));
        expected.put(RecoveryTarget.immediate(), List.of(List.of("a", "100")));
        expected.put(RecoveryTarget.latest(), List.of(List.of("a", "100"), List.of("b", "100"), List.of("c", "100"),
                List.of("d", "100")));
        for (Map.Entry<RecoveryTarget, List<List<String>>> e : expected.entrySet()) {
            RestoreReport report = drill(e.getKey(), new ArrayList<>());
            assertTrue(report.succeeded(), e.getKey() + ": " + report.account());
            assertTrue(report.reached(), e.getKey() + ": " + report.progress());
            assertEquals(e.getValue(), report.verifyRows(), e.getKey().describe());
            assertEquals(2, report.timeline());
        }
    }

    @Test
    @Order(3)
    void aNameThatIsNotInTheWalEndsRecoveryBeforeTheTargetAndIsExplained() throws Exception {
        RestoreReport report = drill(RecoveryTarget.name("never-created"), new ArrayList<>());
        assertEquals(RestoreReport.Outcome.FAILED, report.outcome());
        assertFalse(report.reached());
        assertTrue(report.progress().endedBeforeTarget(), report.progress().toString());
        assertTrue(report.account().contains("recovery ended before the target was reached: the archived WAL after"
                + " the base backup does not contain the target"), report.account());
        try (Stream<Path> siblings = Files.list(pg.dataDir().getParent())) {
            assertEquals(List.of(), siblings.map(p -> p.getFileName().toString()).filter(n -> n.contains(".drill-"))
                    .toList(), "a failed drill removes its scratch copy too");
        }
    }

    @Test
    @Order(3)
    void aCancelAsTheExtractionStartsStopsTheDrillThereAndRemovesOnlyItsScratchCopy() throws Exception {
        List<String> archiveBefore = pg.listArchive();
        RestoreCancel cancel = new RestoreCancel();
        RestoreReport report;
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            RestorePlan plan = w.plan(state, RecoveryTarget.latest(), state.facts().backups().get(0), 1,
                    RestoreMode.DRILL, freePort(), VERIFY);
            report = w.execute(plan, event -> {
                if (event instanceof RestoreEvent.StepStarted s && s.step().name().equals("Extract the base backup")) {
                    cancel.request();
                }
            }, cancel, RestoreExecutor.Options.DEFAULT);
        }
        assertEquals(RestoreReport.Outcome.CANCELLED, report.outcome(), report.account());
        List<String> statuses = report.steps().stream().map(s -> s.name() + " " + s.status()).toList();
        // a drill's extraction writes only into the scratch copy: it is not even started once a cancel is requested
        assertEquals(List.of("Create the scratch data directory DONE", "Extract the base backup CANCELLED",
                "Extract the backup's WAL NOT_RUN", "Verify the backup against its manifest NOT_RUN",
                "Write the recovery settings NOT_RUN", "Signal recovery NOT_RUN",
                "Start the scratch server NOT_RUN", "Wait for promotion NOT_RUN", "Verify NOT_RUN",
                "Stop the scratch server DONE", "Remove the scratch copy DONE"), statuses);
        try (Stream<Path> siblings = Files.list(pg.dataDir().getParent())) {
            assertEquals(List.of(), siblings.map(p -> p.getFileName().toString()).filter(n -> n.contains(".drill-"))
                    .toList());
        }
        assertEquals(archiveBefore, pg.listArchive());
        assertTrue(Files.exists(pg.dataDir().resolve("PG_VERSION")));
    }

    @Test
    @Order(4)
    void aTargetPastTheArchiveIsRefusedWithTheReason() throws Exception {
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            RecoveryTarget future = RecoveryTarget.time(OffsetDateTime.now().plusHours(1));
            assertTrue(w.chooseBackup(state, future, 1).isEmpty());
            TargetCheck why = w.explain(state, future, 1);
            assertTrue(why.reason().contains("is past the last archived WAL: the latest recoverable time is"),
                    why.reason());
            BaseBackup only = state.facts().backups().get(0);
            assertThrows(IllegalArgumentException.class,
                    () -> w.plan(state, future, only, 1, RestoreMode.DRILL, freePort(), null));
        }
    }

    @Test
    @Order(5)
    void aSegmentMissingInTheMiddleOfTheArchiveIsCaughtBeforeAnythingRuns() throws Exception {
        Path segment = pg.archive().resolve(segmentAfterB);
        Path away = pg.root().resolve(segmentAfterB + ".away");
        Files.move(segment, away);
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            BaseBackup backup = state.facts().backups().get(0);
            RestorePlan plan = w.plan(state, RecoveryTarget.latest(), backup, 1, RestoreMode.DRILL, freePort(), null);
            List<PreflightCheck> checks = w.preflight(plan, state, false);
            PreflightCheck continuity = checks.get(0);
            assertTrue(continuity.failed(), continuity.toString());
            assertTrue(continuity.detail().startsWith("segment " + segmentAfterB + " is missing from the archive"),
                    continuity.detail());
            assertTrue(w.check(state, RecoveryTarget.time(OffsetDateTime.now().minusSeconds(1)), backup, 1).reason()
                    .contains("lies past a gap in the WAL archive: segment " + segmentAfterB + " is missing"));
        } finally {
            Files.move(away, segment);
        }
    }

    @Test
    @Order(5)
    void aCancelStopsADrillInTheMiddleOfItsExtractionAndLeavesNothingRunning() throws Exception {
        // a real tar reading a FIFO nobody writes: an extraction that only a cancel ends
        Path fifo = pg.root().resolve("never-written.tar.gz");
        assertTrue(pg.shell().run(HostCommand.of("mkfifo", fifo.toString()), Duration.ofSeconds(10)).succeeded());
        RestoreCancel cancel = new RestoreCancel();
        RestoreReport report;
        RestorePlan plan;
        long started;
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            RestorePlan real = w.plan(state, RecoveryTarget.latest(), state.facts().backups().get(0), 1,
                    RestoreMode.DRILL, freePort(), null);
            ProfileRestoreCommands commands = new ProfileRestoreCommands(HostProfile.builtIn("sandbox"),
                    HostProfile.builtIn("sandbox").values(pg.values(), "main", pg.port()));
            plan = withStep(real, "Extract the base backup", commands.extract(fifo.toString(), real.workDir()));
            String pattern = dev.pgdeck.model.restore.CommandLinePattern.containing(real.workDir());
            String tar = dev.pgdeck.model.restore.CommandLinePattern.containing(fifo.toString());
            Thread canceller = new Thread(() -> {
                try {
                    waitFor(() -> processesMatching(tar) > 0, "the extraction to start");
                    cancel.request();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            canceller.start();
            started = System.nanoTime();
            report = w.execute(plan, RestoreListener.NONE, cancel, RestoreExecutor.Options.DEFAULT);
            canceller.join();
            assertEquals(0, processesMatching(pattern), "nothing still runs in " + real.workDir());
        } finally {
            Files.deleteIfExists(fifo);
        }
        assertTrue((System.nanoTime() - started) / 1e9 < 60, "stopped in the middle, not at the 6 h timeout");
        assertEquals(RestoreReport.Outcome.CANCELLED, report.outcome(), report.account());
        StepResult extract = report.steps().stream().filter(r -> r.name().equals("Extract the base backup"))
                .findFirst().orElseThrow();
        assertEquals(StepResult.Status.CANCELLED, extract.status());
        assertTrue(extract.detail().contains("no process is left writing into " + plan.workDir()), extract.detail());
        assertEquals(StepResult.Status.DONE, report.steps().get(report.steps().size() - 1).status(),
                "the scratch copy is still removed after the cancel");
        assertFalse(Files.exists(Path.of(plan.workDir())), plan.workDir());
    }

    @Test
    @Order(5)
    void aScratchServerKilledWithoutALogLineFailsTheDrillWithinSecondsNotHours() throws Exception {
        RestoreReport report;
        RestorePlan plan;
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            RestorePlan planned = w.plan(state, RecoveryTarget.latest(), state.facts().backups().get(0), 1,
                    RestoreMode.DRILL, freePort(), null);
            // a restore_command that hangs keeps the server recovering until the test kills its postmaster
            StringBuilder settings = new StringBuilder();
            planned.settings().forEach((k, v) -> settings.append(k).append(" = '")
                    .append(k.equals("restore_command") ? "sleep 30; false" : v.replace("'", "''")).append("'\n"));
            ProfileRestoreCommands commands = new ProfileRestoreCommands(HostProfile.builtIn("sandbox"),
                    HostProfile.builtIn("sandbox").values(pg.values(), "main", pg.port()));
            plan = withStep(planned, "Write the recovery settings",
                    commands.append(planned.workDir() + "/postgresql.auto.conf", settings.toString()));
            Path pidFile = Path.of(plan.workDir(), "postmaster.pid");
            report = w.execute(plan, event -> {
                if (event instanceof RestoreEvent.StepStarted s && s.step().name().equals("Wait for promotion")) {
                    try {
                        waitFor(() -> Files.exists(pidFile) && Files.readAllLines(pidFile).size() > 1, "postmaster.pid");
                        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
                        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL: nothing is logged
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            }, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
        }
        assertEquals(RestoreReport.Outcome.FAILED, report.outcome(), report.account());
        StepResult await = report.steps().stream().filter(r -> r.name().equals("Wait for promotion")).findFirst()
                .orElseThrow();
        assertTrue(await.detail().startsWith("the server on " + plan.workDir() + " is no longer running"),
                await.detail());
        assertTrue(await.seconds() < 60, await.seconds() + " s");
        assertFalse(Files.exists(Path.of(plan.workDir())), "the failed drill still removes its copy");
    }

    private static RestorePlan withStep(RestorePlan p, String name, HostCommand command) {
        List<dev.pgdeck.model.restore.RestoreStep> steps = p.steps().stream().map(s -> !s.name().equals(name) ? s
                : new dev.pgdeck.model.restore.RestoreStep(s.name(), s.kind(), List.of(command), s.explanation(),
                        s.safeToCancelBefore(), s.cleanup(), s.interruptibleIn())).toList();
        return new RestorePlan(p.host(), p.instance(), p.mode(), p.target(), p.timeline(), p.source(), p.backup(),
                p.dataDir(), p.workDir(), p.asideDir(), p.port(), p.settings(), steps, p.warnings());
    }

    private static int processesMatching(String pattern) throws Exception {
        var r = pg.shell().run(HostCommand.of("pgrep", "-f", "--", pattern), Duration.ofSeconds(10));
        return (int) r.stdout().lines().filter(l -> !l.isBlank()).count();
    }

    @Test
    @Order(6)
    void drillFromResticAloneWhenTheLocalBackupsAndArchiveAreLost() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(pg.resticInstalled(), "restic is not installed");
        pg.initRestic();
        pg.resticSnapshot("main", "base-backup", pg.backups());
        pg.resticSnapshot("main", "wal-archive", pg.archive());
        int segments = (int) pg.listArchive().stream().filter(f -> f.length() == 24).count();
        Path lostBackups = pg.root().resolve("lost-backups");
        Path lostArchive = pg.root().resolve("lost-archive");
        Files.move(pg.backups(), lostBackups);
        Files.move(pg.archive(), lostArchive);
        RestoreReport report;
        List<String> steps;
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.readFromRestic(null, null);
            assertNotNull(state.restic());
            assertEquals(List.of("20251011-120000"), state.facts().backups().stream().map(BaseBackup::label).toList());
            assertEquals(segments, state.facts().archive().segmentCount());
            assertEquals(Map.of(), state.errors());
            assertTrue(state.running(), "the instance itself still answers; only its backups were lost");
            RecoveryTarget target = RecoveryTarget.name("after-b");
            BaseBackup backup = w.chooseBackup(state, target, 1).orElseThrow();
            RestorePlan plan = w.plan(state, target, backup, 1, RestoreMode.DRILL, freePort(), VERIFY);
            var checks = w.preflight(plan, state, false);
            assertFalse(RestorePreflight.anyFailed(checks));
            assertTrue(checks.stream().anyMatch(c -> c.name().equals("Instance state")
                    && c.detail().equals("running; the drill does not touch it")), checks.toString());
            steps = plan.steps().stream().map(s -> s.name()).toList();
            report = w.execute(plan, RestoreListener.NONE, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
        } finally {
            Files.move(lostBackups, pg.backups());
            Files.move(lostArchive, pg.archive());
        }
        assertEquals(List.of("Create the scratch data directory", "Create the restic staging directory",
                "Restore the base backup from restic", "Restore the WAL archive from restic"), steps.subList(0, 4));
        assertTrue(report.succeeded(), report.account());
        assertTrue(report.reached());
        assertEquals(List.of(List.of("a", "100"), List.of("b", "100")), report.verifyRows());
        try (Stream<Path> siblings = Files.list(pg.dataDir().getParent())) {
            assertEquals(List.of(), siblings.map(p -> p.getFileName().toString()).filter(n -> n.contains(".drill-"))
                    .toList());
        }
    }

    @Test
    @Order(7)
    void aConnectionDroppedMidRestoreLeavesTheReplacedDataIntactAndSwapBackRestoresIt() throws Exception {
        pg.closePool();
        RestorePlan plan;
        RestoreReport report;
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            plan = w.plan(state, RecoveryTarget.latest(), state.facts().backups().get(0), 1, RestoreMode.IN_PLACE, 0,
                    null);
            report = w.execute(plan, event -> {
                if (event instanceof RestoreEvent.StepStarted s && s.step().name().equals("Extract the base backup")) {
                    try {
                        SSH.stop();
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            }, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
        } finally {
            SSH.restart();
        }
        assertEquals(RestoreReport.Outcome.FAILED, report.outcome(), report.account());
        StepResult extract = report.steps().get(3);
        assertEquals("Extract the base backup", extract.name());
        assertEquals(StepResult.Status.FAILED, extract.status());
        assertTrue(extract.detail().startsWith("the host could not be reached"), extract.detail());
        assertTrue(report.steps().subList(4, report.steps().size()).stream()
                .allMatch(s -> s.status() == StepResult.Status.NOT_RUN), report.steps().toString());
        assertTrue(report.account().contains("The replaced data directory is intact at " + plan.asideDir()
                + "; to put it back"), report.account());
        Path aside = Path.of(plan.asideDir());
        assertTrue(Files.exists(aside.resolve("PG_VERSION")));
        assertTrue(Files.exists(aside.resolve("base")));

        RestoreReport back;
        RestorePlan swap;
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            swap = w.swapBackPlan(plan);
            back = w.execute(swap, RestoreListener.NONE, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
        }
        assertTrue(back.succeeded(), back.account());
        assertFalse(Files.exists(aside), "moved back");
        assertTrue(Files.isDirectory(Path.of(swap.asideDir())), "the half-restored copy is kept, not deleted");
        pg.openPool("restore-back");
        assertEquals(Long.valueOf(400), pg.sql().<Long>queryOne("SELECT count(*) FROM t", r -> r.getLong(1)));
    }

    @Test
    @Order(8)
    void inPlaceRestoreKeepsTheReplacedDataDirectoryAndServesTheRestoredRows() throws Exception {
        pg.closePool();
        RestoreReport report;
        RestorePlan plan;
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            RecoveryTarget target = RecoveryTarget.name("after-b");
            BaseBackup backup = w.chooseBackup(state, target, 1).orElseThrow();
            plan = w.plan(state, target, backup, 1, RestoreMode.IN_PLACE, 0, VERIFY);
            assertFalse(RestorePreflight.anyFailed(w.preflight(plan, state, false)));
            report = w.execute(plan, RestoreListener.NONE, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
        }
        assertTrue(report.succeeded(), report.account());
        assertEquals(List.of(List.of("a", "100"), List.of("b", "100")), report.verifyRows());
        assertEquals(2, report.timeline());
        Path aside = Path.of(plan.asideDir());
        assertTrue(aside.getFileName().toString().startsWith("main.pre-restore-"), aside.toString());
        assertTrue(Files.exists(aside.resolve("PG_VERSION")), "the replaced data directory is kept");
        assertTrue(Files.exists(aside.resolve("global/pg_control")));
        assertFalse(Files.exists(pg.dataDir().resolve("recovery.signal")));
        assertFalse(Files.exists(pg.dataDir().resolve(RestorePlanner.MARKER)), "pgdeck's marker is not left behind");
        String autoConf = Files.readString(pg.dataDir().resolve("postgresql.auto.conf"));
        assertFalse(autoConf.contains("recovery_target"), "the target is cleared after promotion:\n" + autoConf);
        try (InstancePool restored = InstancePool.open("restored-" + pg.port(), "127.0.0.1", pg.port(), "postgres",
                "postgres", false)) {
            LoggedSql s = new LoggedSql(restored.dataSource(), new CommandLog(), "test/main");
            assertEquals(Long.valueOf(200), s.<Long>queryOne("SELECT count(*) FROM t", r -> r.getLong(1)));
            assertEquals(Boolean.FALSE, s.queryOne("SELECT pg_is_in_recovery()", r -> r.getBoolean(1)));
        }
        assertTrue(report.account().contains("The replaced data directory is intact at " + plan.asideDir()));
    }

    @Test
    @Order(9)
    void aRecoveryThatPausesIsReportedInWordsAndPromoteEndsIt() throws Exception {
        RestoreReport report;
        RestoreWorkflow.HostCommandResult promoted;
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            RecoveryTarget target = RecoveryTarget.name("after-b");
            RestorePlan planned = w.plan(state, target, w.chooseBackup(state, target, 1).orElseThrow(), 1,
                    RestoreMode.IN_PLACE, 0, null);
            // as a hand-edited postgresql.auto.conf would: pause at the target instead of promoting
            StringBuilder settings = new StringBuilder();
            planned.settings().forEach((k, v) -> settings.append(k).append(" = '")
                    .append(k.equals("recovery_target_action") ? "pause" : v.replace("'", "''")).append("'\n"));
            ProfileRestoreCommands commands = new ProfileRestoreCommands(HostProfile.builtIn("sandbox"),
                    HostProfile.builtIn("sandbox").values(pg.values(), "main", pg.port()));
            RestorePlan plan = withStep(planned, "Write the recovery settings",
                    commands.append(planned.workDir() + "/postgresql.auto.conf", settings.toString()));
            report = w.execute(plan, RestoreListener.NONE, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
            promoted = w.promote(pg.port());
        }
        assertEquals(RestoreReport.Outcome.FAILED, report.outcome(), report.account());
        assertTrue(report.progress().paused(), report.progress().toString());
        assertTrue(report.account().contains("recovery is paused"), report.account());
        assertTrue(promoted.succeeded(), promoted.output());
        try (InstancePool restored = InstancePool.open("promoted-" + pg.port(), "127.0.0.1", pg.port(), "postgres", "postgres",
                false)) {
            LoggedSql s = new LoggedSql(restored.dataSource(), new CommandLog(), "test/main");
            waitFor(() -> Boolean.FALSE.equals(s.queryOne("SELECT pg_is_in_recovery()", r -> r.getBoolean(1))),
                    "promotion");
            assertEquals(Long.valueOf(200), s.<Long>queryOne("SELECT count(*) FROM t", r -> r.getLong(1)));
        }
    }

    @Test
    @Order(10)
    void pausedAtTheTargetTheInstanceIsReadOnlyUntilPromotedThenTheSettingsAreCleared() throws Exception {
        RestoreReport report;
        RestorePlan plan;
        RestoreWorkflow.HostCommandResult promoted;
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            RecoveryTarget target = RecoveryTarget.name("after-b");
            plan = w.plan(state, target, w.chooseBackup(state, target, 1).orElseThrow(), 1, RestoreMode.IN_PLACE, 0,
                    VERIFY, true);
            assertEquals("pause", plan.settings().get("recovery_target_action"));
            assertTrue(plan.steps().stream().noneMatch(st -> st.name().equals("Clear the recovery settings")));
            report = w.execute(plan, RestoreListener.NONE, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
            assertTrue(report.succeeded(), report.account());
            assertTrue(report.reached(), report.account());
            assertTrue(report.account().startsWith("The restore reached its target and recovery is paused there"));
            assertEquals(List.of(List.of("a", "100"), List.of("b", "100")), report.verifyRows(),
                    "the verification query ran on the paused server");
            try (InstancePool paused = InstancePool.open("paused-" + pg.port(), "127.0.0.1", pg.port(), "postgres", "postgres",
                    false)) {
                LoggedSql s = new LoggedSql(paused.dataSource(), new CommandLog(), "test/main");
                assertEquals(Boolean.TRUE, s.queryOne("SELECT pg_is_in_recovery()", r -> r.getBoolean(1)));
                assertThrows(Exception.class, () -> s.execute("INSERT INTO t (v) VALUES ('z')"), "read-only");
            }
            promoted = w.promote(plan);
        }
        assertTrue(promoted.succeeded(), promoted.output());
        String autoConf = Files.readString(pg.dataDir().resolve("postgresql.auto.conf"));
        assertFalse(autoConf.contains("recovery_target"), "cleared after promotion:\n" + autoConf);
        try (InstancePool restored = InstancePool.open("after-pause-" + pg.port(), "127.0.0.1", pg.port(), "postgres",
                "postgres", false)) {
            LoggedSql s = new LoggedSql(restored.dataSource(), new CommandLog(), "test/main");
            assertEquals(Boolean.FALSE, s.queryOne("SELECT pg_is_in_recovery()", r -> r.getBoolean(1)));
            assertEquals(Long.valueOf(200), s.<Long>queryOne("SELECT count(*) FROM t", r -> r.getLong(1)));
        }
    }

    @Test
    @Order(11)
    void inPlaceToATimeAnXidAnLsnAndTheBackupsEndEachServeExactlyTheirRows() throws Exception {
        Map<String, RecoveryTarget> targets = new java.util.LinkedHashMap<>();
        Map<String, List<List<String>>> expected = new java.util.LinkedHashMap<>();
        String pointLsn;
        try (SshShell shell = ssh()) {
            pointLsn = workflow(shell).read().facts().restorePoints().get("after-b").toString();
        }
        List<List<String>> ab = List.of(List.of("a", "100"), List.of("b", "100"));
        targets.put("time", RecoveryTarget.time(afterB));
        expected.put("time", ab);
        targets.put("xid", RecoveryTarget.xid(xidB));
        expected.put("xid", ab);
        targets.put("lsn", RecoveryTarget.lsn(pointLsn));
        expected.put("lsn", ab);
        targets.put("immediate", RecoveryTarget.immediate());
        expected.put("immediate", List.of(List.of("a", "100")));
        for (Map.Entry<String, RecoveryTarget> e : targets.entrySet()) {
            RestoreReport report;
            RestorePlan plan;
            try (SshShell shell = ssh()) {
                RestoreWorkflow w = workflow(shell);
                InstanceRecovery state = w.read(); // each restore starts a new timeline; timeline 1 is asked for
                BaseBackup backup = w.chooseBackup(state, e.getValue(), 1).orElseThrow(
                        () -> new AssertionError(e.getKey() + ": " + w.explain(state, e.getValue(), 1).reason()));
                plan = w.plan(state, e.getValue(), backup, 1, RestoreMode.IN_PLACE, 0, VERIFY);
                report = w.execute(plan, RestoreListener.NONE, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
            }
            assertTrue(report.succeeded(), e.getKey() + ": " + report.account());
            assertTrue(report.reached(), e.getKey() + ": " + report.progress());
            assertEquals(expected.get(e.getKey()), report.verifyRows(), e.getKey());
            assertTrue(report.timeline() > 1, e.getKey() + ": timeline " + report.timeline());
            assertTrue(Files.exists(Path.of(plan.asideDir(), "PG_VERSION")), e.getKey() + ": the replaced data is kept");
        }
    }
}
