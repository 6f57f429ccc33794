package dev.pgdeck.remote.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.HostCapabilities;
import dev.pgdeck.model.Invocation;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.model.restore.RestorePlanner;
import dev.pgdeck.model.restore.RestoreStep;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.testing.OpenSshHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * In-place restores on a real OpenSSH host with the seed002 profile and no {@code zfs} (issue 12, finding 1): the
 * plan is the plain move-aside restore, and a step that fails after the instance was stopped puts the original data
 * directory back and starts the instance again, so production is never left down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealHostRestoreTest {
    @RegisterExtension
    static final OpenSshHost HOST = new OpenSshHost("main");

    static final String ROWS = "SELECT v, count(*) FROM t GROUP BY v ORDER BY v";
    static final RestoreExecutor.Options OPTIONS = new RestoreExecutor.Options(Duration.ofMinutes(2),
            Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMillis(300));
    static String allRows;

    private final CommandLog log = new CommandLog();

    @BeforeAll
    static void history() throws Exception {
        HOST.sql("main", "CREATE TABLE t (id int PRIMARY KEY, v text)");
        HOST.sql("main", "INSERT INTO t SELECT g, 'a' FROM generate_series(1, 100) g");
        HOST.switchAndWait("main");
        HOST.baseBackup("main");
        HOST.sql("main", "INSERT INTO t SELECT g, 'b' FROM generate_series(101, 200) g");
        HOST.sql("main", "SELECT pg_create_restore_point('before-c')");
        HOST.sql("main", "INSERT INTO t SELECT g, 'c' FROM generate_series(201, 300) g");
        HOST.switchAndWait("main");
        allRows = HOST.sql("main", ROWS);
    }

    private RestoreWorkflow workflow(SshShell shell) {
        return new RestoreWorkflow(shell, HostProfile.builtIn("seed002"), HOST.variables(), "main", HOST.port("main"),
                Clock.systemUTC());
    }

    private static List<String> siblings(String infix) throws IOException {
        try (Stream<Path> s = Files.list(HOST.dataDir("main").getParent())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("main.") && n.contains(infix))
                    .sorted().toList();
        }
    }

    @Test
    @Order(0)
    void theHostsCapabilitiesAreReadAsTheProfileRunsEachProgram() throws Exception {
        try (SshShell shell = HOST.shell(log)) {
            HostCapabilities can = workflow(shell).capabilities();

            assertFalse(can.has("zfs"), can.toString());
            for (String tool : List.of("systemctl", "restic", "pg_waldump", "pg_verifybackup")) {
                assertTrue(can.has(tool), tool + ": " + can);
            }
            assertTrue(can.runs(new Invocation("postgres", "psql")), can.toString());
            assertTrue(can.runs(new Invocation("root", "systemctl")), can.toString());
            assertFalse(can.runs(new Invocation("root", "zfs")), can.toString());
            assertFalse(can.runs(new Invocation("root", "sh")), "the login may not run a root shell: " + can);
            assertTrue(can.freeKb().get(HOST.dataDir("main").getParent().toString()) > 0, can.toString());
            assertEquals(Optional.of("zfs cannot run on this host (sudo -u root zfs, zfs: not found, or not allowed by"
                    + " sudo -n)"), workflow(shell).zfsUnavailableHere());
        }
    }

    @Test
    @Order(0)
    void aPlanThatNeedsZfsIsRefusedInPreflightBeforeAnythingStops() throws Exception {
        try (SshShell shell = HOST.shell(log)) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            BaseBackup backup = w.chooseBackup(state, RecoveryTarget.latest(), 1).orElseThrow();
            RestorePlan plain = w.plan(state, RecoveryTarget.latest(), backup, 1, RestoreMode.IN_PLACE, 0, null);
            // the plan the seed002 profile made before issue 12, whatever the host had
            HostProfile seed002 = HostProfile.builtIn("seed002");
            var values = seed002.values(HOST.variables(), "main", HOST.port("main"));
            ProfileRestoreCommands commands = new ProfileRestoreCommands(seed002, values);
            RestorePlan onZfs = new RestorePlanner(commands).onZfsDataset(plain, commands,
                    seed002.zfsDatasets(values).get(0));

            List<PreflightCheck> checks = w.preflight(onZfs, state, false);

            PreflightCheck commandsCheck = checks.stream().filter(c -> c.name().equals("Commands")).findFirst()
                    .orElseThrow();
            assertTrue(commandsCheck.failed(), checks.toString());
            assertTrue(commandsCheck.detail().contains("zfs as root through sudo -n"), commandsCheck.detail());
            assertTrue(RestorePreflight.anyFailed(checks));
        }
        assertTrue(HOST.answers("main"), "pre-flight stops nothing");
    }

    @Test
    @Order(0)
    void aDrillRunsOnTheRealHostWithTheProfilesOwnCommandsAndLeavesProductionAlone() throws Exception {
        List<RestoreEvent> events = new CopyOnWriteArrayList<>();
        try (SshShell shell = HOST.shell(log)) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            RecoveryTarget target = RecoveryTarget.name("before-c");
            BaseBackup backup = w.chooseBackup(state, target, 1).orElseThrow();
            RestorePlan plan = w.plan(state, target, backup, 1, RestoreMode.DRILL,
                    RestoreWorkflow.defaultScratchPort(HOST.port("main")), ROWS);
            List<PreflightCheck> checks = w.preflight(plan, state, true);
            assertFalse(RestorePreflight.anyFailed(checks), checks.toString());

            RestoreReport report = w.execute(plan, events::add, new RestoreCancel(), OPTIONS);

            assertTrue(report.succeeded(), report.account() + "\n" + events);
            assertTrue(report.reached(), report.progress().toString());
            assertEquals(List.of(List.of("a", "100"), List.of("b", "100")), report.verifyRows());
        }
        assertEquals(allRows, HOST.sql("main", ROWS));
        assertEquals(List.of(), siblings(".drill-"), "the scratch copy is removed");
    }

    @Test
    @Order(1)
    void aStepAfterTheStopFailsAndTheOriginalDataDirectoryIsPutBackAndStarted() throws Exception {
        String pidBefore = HOST.sql("main", "SELECT pg_backend_pid() > 0");
        assertEquals("t", pidBefore);
        try (SshShell shell = HOST.shell(log)) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            RecoveryTarget target = RecoveryTarget.name("before-c");
            BaseBackup backup = w.chooseBackup(state, target, 1).orElseThrow();
            RestorePlan plan = w.plan(state, target, backup, 1, RestoreMode.IN_PLACE, 0, ROWS);
            List<PreflightCheck> checks = w.preflight(plan, state, true);
            assertFalse(RestorePreflight.anyFailed(checks), checks.toString());
            // the backup breaks after it was checked: extraction fails once the instance is stopped
            Path base = HOST.backups("main").resolve(backup.label()).resolve("base.tar.gz");
            byte[] intact = Files.readAllBytes(base);
            Files.write(base, java.util.Arrays.copyOf(intact, intact.length / 2));
            RestoreReport report;
            try {
                report = w.execute(plan, e -> { }, new RestoreCancel(), OPTIONS);
            } finally {
                Files.write(base, intact);
            }

            assertFalse(report.succeeded(), report.account());
            assertTrue(report.account().contains("Extract the base backup"), report.account());
            assertTrue(report.putBack(), report.account());
            assertTrue(report.account().contains("put back"), report.account());
            assertTrue(HOST.answers("main"), "the instance runs again: " + report.account());
            assertEquals(allRows, HOST.sql("main", ROWS));
            assertEquals(HOST.dataDir("main").toString(), HOST.sql("main", "SHOW data_directory"));
            assertEquals(List.of(), siblings(".pre-restore-"), "the original is back in place, not aside");
            assertEquals(1, siblings(".failed-restore-").size(), "the failed attempt is kept, not deleted");
        }
    }

    @Test
    @Order(2)
    void inPlaceOnSeed002WithoutZfsPlansTheMoveAsideRestoreAndProductionRunsAfterwards() throws Exception {
        List<RestoreEvent> events = new CopyOnWriteArrayList<>();
        try (SshShell shell = HOST.shell(log)) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            RecoveryTarget target = RecoveryTarget.name("before-c");
            BaseBackup backup = w.chooseBackup(state, target, 1).orElseThrow();
            RestorePlan plan = w.plan(state, target, backup, 1, RestoreMode.IN_PLACE, 0, ROWS);
            List<String> names = plan.steps().stream().map(RestoreStep::name).toList();
            assertFalse(names.contains("Snapshot the data set"), names.toString());
            assertTrue(plan.toShellScript().lines().noneMatch(l -> l.contains("zfs ")), plan.toShellScript());
            List<PreflightCheck> checks = w.preflight(plan, state, true);
            assertFalse(RestorePreflight.anyFailed(checks), checks.toString());

            RestoreReport report = w.execute(plan, events::add, new RestoreCancel(), OPTIONS);

            assertTrue(report.succeeded(), report.account() + "\n" + events);
            assertTrue(report.reached(), report.progress().toString());
            assertEquals(List.of(List.of("a", "100"), List.of("b", "100")), report.verifyRows());
        }
        assertTrue(HOST.answers("main"));
        assertEquals("a|100\nb|100", HOST.sql("main", ROWS));
        assertEquals("active", HOST.systemctl("is-active", "postgresql-main.service").stdout().strip());
        assertEquals(1, siblings(".pre-restore-").size(), "the replaced data directory is kept");
    }
}
