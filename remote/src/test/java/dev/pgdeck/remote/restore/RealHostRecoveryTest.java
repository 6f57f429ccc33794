package dev.pgdeck.remote.restore;

import static dev.pgdeck.remote.testing.OpenSshHost.require;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.model.restore.VerifyQuery;
import dev.pgdeck.model.window.TimelineWindow;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.probe.HostOverviewProbe;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.testing.ArchivingCluster;
import dev.pgdeck.remote.testing.OpenSshHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, points 3 to 7 on a real OpenSSH host with the seed002 profile (every command through {@code sudo -n -u
 * postgres}), one fixture and one history for the class: the latest time target is the last archived commit and
 * holds 1 s either side on timeline 1 and, after an in-place restore, on timeline 2 with an archiver lag of 0
 * (points 3, 4); a WAL archive path that closed the old shell quoting runs nothing and a restore point name ending
 * in a backslash is reached (5); a leading-zero xid is refused and an xid target is reached only with the server's
 * own stopping line (6); the verification query runs in the picked database, read-only, without backslash commands
 * (7). The timeline 1 checks run first, the in-place restore last.
 *
 * <p>Commit times are known exactly: {@code track_commit_timestamp} is on and autovacuum off, so the test's own
 * inserts are the only transactions that commit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealHostRecoveryTest {
    @RegisterExtension
    static final OpenSshHost HOST = new OpenSshHost("main");

    static final String COUNT = WindowEdge.COUNT;
    static final String ROWS = "SELECT v, count(*) FROM t GROUP BY v ORDER BY v";
    static final String POINT = ConfQuoteServerTest.POINT;
    static final String EVENTS = "select count(*) from web.events";
    static final RestoreExecutor.Options OPTIONS = new RestoreExecutor.Options(Duration.ofMinutes(2),
            Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMillis(300));
    static String xid;

    private final CommandLog log = new CommandLog();

    @BeforeAll
    static void history() throws Exception {
        HOST.sql("main", "ALTER SYSTEM SET track_commit_timestamp = on");
        HOST.sql("main", "ALTER SYSTEM SET autovacuum = off");
        require(HOST.systemctl("stop", "postgresql-main.service"));
        require(HOST.systemctl("start", "postgresql-main.service"));
        ArchivingCluster.waitFor(() -> HOST.answers("main"), "main restarted with track_commit_timestamp");
        HOST.sql("main", "CREATE DATABASE analytics");
        psql("analytics", "CREATE SCHEMA web; CREATE TABLE web.events (id int, payload text);"
                + " INSERT INTO web.events SELECT g, 'x' FROM generate_series(1, 500) g");
        HOST.sql("main", "CREATE TABLE t (id serial PRIMARY KEY, v text)");
        HOST.sql("main", "INSERT INTO t (v) SELECT 'a' FROM generate_series(1, 100)");
        HOST.switchAndWait("main");
        HOST.baseBackup("main");
        commits("b", Duration.ofSeconds(2));
        try (SshShell shell = HOST.shell(new CommandLog())) {
            new HostActions(shell, HostProfile.builtIn("seed002"), HOST.variables(), Clock.systemUTC())
                    .createRestorePoint("main", HOST.port("main"), POINT);
        }
        xid = HOST.sql("main", "WITH i AS (INSERT INTO t (v) SELECT 'x' FROM generate_series(1, 10) RETURNING xmin)"
                + " SELECT DISTINCT xmin FROM i");
        commits("c", Duration.ofSeconds(2));
        HOST.sql("main", "SELECT pg_create_restore_point('mid')");
        commits("d", Duration.ofSeconds(2));
        // idle: the segment is archived well after its last commit, as on any host between bursts of writes
        Thread.sleep(3000);
        HOST.switchAndWait("main");
    }

    private static String psql(String database, String sql) throws Exception {
        return require(HOST.asPostgres(OpenSshHost.PG_BIN + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", OpenSshHost.SOCKET_DIR, "-p", Integer.toString(HOST.port("main")), "-d", database, "-c", sql))
                .stdout().strip();
    }

    private static RestoreWorkflow workflow(SshShell shell, Map<String, String> variables) {
        return new RestoreWorkflow(shell, HostProfile.builtIn("seed002"), variables, "main", HOST.port("main"),
                Clock.systemUTC());
    }

    private InstanceRecovery read() throws Exception {
        try (SshShell shell = HOST.shell(log)) {
            InstanceRecovery state = workflow(shell, HOST.variables()).read();
            assertEquals(Map.of(), state.errors());
            return state;
        }
    }

    /** The live instance's single value for {@code sql}. */
    private static String one(String sql) throws Exception {
        return HOST.sql("main", sql);
    }

    private static void commits(String v, Duration length) throws Exception {
        WindowEdge.commits(sql -> HOST.sql("main", sql), v, length);
    }

    private void oneSecondEitherSideOf(Instant edge, TimelineWindow window, int timeline) throws Exception {
        WindowEdge.oneSecondEitherSideOf(edge, window, timeline, RealHostRecoveryTest::one,
                target -> drill(target, timeline, COUNT), use -> {
                    try (SshShell shell = HOST.shell(log)) {
                        use.accept(workflow(shell, HOST.variables()));
                    }
                });
    }

    private RestoreReport drill(RecoveryTarget target, int timeline, String verify) throws Exception {
        return run(HOST.variables(), target, timeline, RestoreMode.DRILL, verify, null);
    }

    private RestoreReport run(Map<String, String> variables, RecoveryTarget target, int timeline, RestoreMode mode,
                              String verify, String database) throws Exception {
        try (SshShell shell = HOST.shell(log)) {
            RestoreWorkflow w = workflow(shell, variables);
            InstanceRecovery state = w.read();
            BaseBackup backup = w.chooseBackup(state, target, timeline).orElseThrow(
                    () -> new AssertionError(w.explain(state, target, timeline).reason()));
            RestorePlan plan = w.plan(state, target, backup, timeline, mode, mode == RestoreMode.DRILL
                    ? ArchivingCluster.freePort() : 0, verify, database, false);
            List<PreflightCheck> checks = w.preflight(plan, state, true);
            assertFalse(RestorePreflight.anyFailed(checks), checks.toString());
            return w.execute(plan, e -> { }, new RestoreCancel(), OPTIONS);
        }
    }

    @Test
    @Order(1)
    void onTimelineOneTheLatestTimeTargetIsTheLastArchivedCommit() throws Exception {
        Instant last = WindowEdge.lastCommit(RealHostRecoveryTest::one);
        TimelineWindow w = read().facts().windows().timeline(1).orElseThrow();
        assertEquals(last, w.latestTimeTarget(), "the last commit, to the microsecond");
        assertTrue(w.latest().isAfter(last.plusSeconds(2)), "the archive ends later: " + w.latest());

        oneSecondEitherSideOf(last, w, 1);
    }

    @Test
    @Order(2)
    void aWalArchivePathThatClosedTheOldShellQuotingRunsNothingAndABackslashPointIsReached() throws Exception {
        Path writable = HOST.root().resolve("srv/confquote");
        require(HOST.asRoot("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "755", writable.toString()));
        Path marker = writable.resolve("pwned");
        require(HOST.asPostgres("touch", writable.resolve("canary").toString()));
        assertTrue(Files.exists(writable.resolve("canary")), "postgres could create the marker there");
        Path hostile = Path.of(writable + String.format(ConfQuoteServerTest.ATTACK, marker));
        require(HOST.asPostgres("sh", "-c", "mkdir -p -- \"$2\" && cp -p -- \"$1\"/* \"$2\"/", "sh",
                HOST.archive("main").toString(), hostile.toString()));
        Map<String, String> variables = new HashMap<>(HOST.variables());
        variables.put("walArchive", hostile.toString());

        // a plain target: a name the old quoting also broke would stop the server before restore_command ran
        RestoreReport report = run(variables, RecoveryTarget.name("mid"), 1, RestoreMode.DRILL, ROWS, null);

        assertFalse(Files.exists(marker), "restore_command ran the path's touch");
        assertTrue(report.succeeded(), report.account());
        assertTrue(report.reached(), report.progress().toString());
        assertEquals(rows("v <> 'd'"), report.verifyRows());

        RestoreReport point = drill(RecoveryTarget.name(POINT), 1, ROWS);

        assertTrue(point.succeeded(), point.account());
        assertTrue(point.reached(), point.progress().toString());
        assertTrue(point.progress().stoppingLine().startsWith("recovery stopping at restore point \"" + POINT + "\""),
                point.progress().stoppingLine());
        assertEquals(rows("v IN ('a', 'b')"), point.verifyRows());
    }

    /** The live rows of {@link #ROWS} that satisfy {@code where}, as a drill's verification returns them. */
    private static List<List<String>> rows(String where) throws Exception {
        return HOST.sql("main", "SELECT v, count(*) FROM t WHERE " + where + " GROUP BY v ORDER BY v").lines()
                .map(l -> List.of(l.split("\\|"))).toList();
    }

    @Test
    @Order(3)
    void theVerificationQueryRunsInThePickedDatabaseReadOnlyAndWithoutBackslashCommands() throws Exception {
        RestoreReport report = run(HOST.variables(), RecoveryTarget.latest(), 1, RestoreMode.DRILL, EVENTS + ";",
                "analytics");
        assertTrue(report.succeeded(), report.account());
        assertEquals(List.of(List.of("500")), report.verifyRows());

        HOST.sql("main", "CREATE SEQUENCE IF NOT EXISTS verify_seq");
        Path writable = HOST.root().resolve("srv/verify");
        require(HOST.asRoot("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "755", writable.toString()));
        Path marker = writable.resolve("pwned");
        HostProfile seed002 = HostProfile.builtIn("seed002");
        ProfileRestoreCommands commands = new ProfileRestoreCommands(seed002, seed002.values(HOST.variables(), "main",
                HOST.port("main")));
        try (SshShell shell = HOST.shell(log)) {
            CommandResult in = shell.run(commands.verifyQuery(HOST.port("main"), VerifyQuery.psqlDatabase(
                    "analytics"), VerifyQuery.statement(EVENTS)), Duration.ofSeconds(30));
            assertTrue(in.succeeded(), in.describeFailure());
            assertEquals("500", in.stdout().strip());
            CommandResult elsewhere = shell.run(commands.verifyQuery(HOST.port("main"), VerifyQuery.psqlDatabase(
                    "postgres"), VerifyQuery.statement(EVENTS)), Duration.ofSeconds(30));
            assertTrue(elsewhere.stderr().contains("relation \"web.events\" does not exist"), elsewhere.stderr());

            CommandResult bang = shell.run(commands.verifyQuery(HOST.port("main"), VerifyQuery.psqlDatabase(
                    "postgres"), VerifyQuery.statement("\\! touch " + marker)), Duration.ofSeconds(30));
            assertFalse(bang.succeeded(), bang.stdout());
            assertTrue(bang.stderr().contains("syntax error"), bang.stderr());
            assertFalse(Files.exists(marker), "psql ran the backslash command");

            CommandResult write = shell.run(commands.verifyQuery(HOST.port("main"), VerifyQuery.psqlDatabase(
                    "postgres"), VerifyQuery.statement("select nextval('verify_seq')")), Duration.ofSeconds(30));
            assertFalse(write.succeeded(), write.stdout());
            assertTrue(write.stderr().contains("cannot execute nextval() in a read-only transaction"),
                    write.stderr());
        }
        assertEquals("f", HOST.sql("main", "SELECT is_called FROM verify_seq"));
    }

    @Test
    @Order(4)
    void aLeadingZeroXidIsRefusedAndAnXidTargetIsReachedOnlyWithTheServersStoppingLine() throws Exception {
        String refusal = assertThrows(IllegalArgumentException.class, () -> RecoveryTarget.xid("02577"))
                .getMessage();
        assertTrue(refusal.contains("octal"), refusal);

        RestoreReport report = drill(RecoveryTarget.xid(xid), 1, ROWS);

        assertTrue(report.succeeded(), report.account());
        assertTrue(report.reached(), report.progress().toString());
        assertTrue(report.progress().stoppingLine().startsWith("recovery stopping after commit of transaction " + xid
                + ","), report.progress().stoppingLine());
        assertEquals(rows("v IN ('a', 'b', 'x')"), report.verifyRows());
    }

    @Test
    @Order(9)
    void afterAnInPlaceRestoreToTimelineTwoTheLagIsZeroAndTheLatestTimeTargetHolds() throws Exception {
        RestoreReport restored = run(HOST.variables(), RecoveryTarget.name("mid"), 1, RestoreMode.IN_PLACE, COUNT,
                null);
        assertTrue(restored.succeeded(), restored.account());
        assertEquals(2, restored.timeline());
        ArchivingCluster.waitFor(() -> Files.exists(HOST.archive("main").resolve("00000002.history")),
                "timeline 2's history archived");
        InstanceStatus main;
        try (SshShell shell = HOST.shell(log)) {
            main = new HostOverviewProbe(shell, HostProfile.builtIn("seed002"), HOST.variables())
                    .probe(List.of(new HostOverviewProbe.Instance("main", HOST.port("main")))).instances().get(0);
        }
        assertEquals(2, main.timeline());
        assertEquals(Long.valueOf(0), main.archiver().lagSegments(), main.archiver().toString());
        assertEquals(Integer.valueOf(0), main.archiver().readyFiles());

        commits("e", Duration.ofSeconds(2));
        Thread.sleep(3000);
        HOST.switchAndWait("main");
        Instant last = WindowEdge.lastCommit(RealHostRecoveryTest::one);
        TimelineWindow w = read().facts().windows().timeline(2).orElseThrow();
        assertEquals(last, w.latestTimeTarget(), "timeline 2's last commit, to the microsecond");

        oneSecondEitherSideOf(last, w, 2);
    }
}
