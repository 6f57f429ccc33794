package dev.pgdeck.remote.restore;

import static dev.pgdeck.remote.testing.ArchivingCluster.freePort;
import static dev.pgdeck.remote.testing.ArchivingCluster.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.model.restore.RestoreStep;
import dev.pgdeck.remote.drill.DrillRecord;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.pg.CurrentUser;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.testing.SshServerExtension;
import dev.pgdeck.remote.testing.TempTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * A drill on a Debian-layout host, planned with the built-in debian profile and run over the embedded SSH server:
 * a real PostgreSQL 15 owned by the postgres OS user whose postgresql.conf, pg_hba.conf and pg_ident.conf live in
 * their own directory (as postgresql-common keeps them in /etc/postgresql/15/<cluster>/; here under a temp root, the
 * profile's paths pointing there), real archiving and pg_basebackup. The base backup therefore holds no
 * postgresql.conf; the drill writes a minimal one into its scratch copy, its commands run through
 * {@code sudo -n -u postgres} for real, and reaches a restore point and a time with the rows checked exactly. The
 * instance is named so that the profile's {@code psql --cluster} can never reach a cluster of this machine.
 * Needs root and sudo (as CI has); elsewhere it is skipped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianDrillTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();

    static final String INSTANCE = "pgdeck-drilltest";
    static final String BIN = "/usr/lib/postgresql/15/bin";
    static final String VERIFY = "SELECT v, count(*) FROM t GROUP BY v ORDER BY v";
    static final CommandLog SETUP_LOG = new CommandLog();
    static LocalShell local;
    static Path root;
    static Path confDir;
    static Path dataDir;
    static Path archive;
    static Path backups;
    static Path instanceLog;
    static int port;
    static ProfileRestoreCommands asPostgres;
    static OffsetDateTime afterB;
    static String productionConf;

    @BeforeAll
    static void buildDebianHost() throws Exception {
        Assumptions.assumeTrue(CurrentUser.isRoot(), "the Debian profile runs its commands through sudo -u postgres:"
                + " this test needs root (CI runs as root)");
        local = new LocalShell("debian-test", SETUP_LOG);
        // as root (CI) a missing sudo or postgres user is a failure, not a skip: .ci/run installs both
        CommandResult sudo = run(HostCommand.of("sudo", "-n", "-u", "postgres", "true"));
        assertTrue(sudo.succeeded(), "sudo -n -u postgres must work as root (apt-get install sudo postgresql-15): "
                + sudo.describeFailure());
        Assumptions.assumeTrue(Files.isExecutable(Path.of(BIN, "postgres")), "PostgreSQL 15 is not in " + BIN);
        root = Files.createTempDirectory("pgdeck-debian-drill-");
        confDir = Files.createDirectories(root.resolve("etc/postgresql/15/" + INSTANCE));
        Files.createDirectories(confDir.resolve("conf.d"));
        Path lib = Files.createDirectories(root.resolve("var/lib/postgresql/15"));
        dataDir = lib.resolve(INSTANCE);
        archive = Files.createDirectories(lib.resolve(INSTANCE + "-wal-archive"));
        backups = Files.createDirectories(root.resolve("var/backups/postgresql/15/" + INSTANCE));
        Path socketDir = Files.createDirectories(root.resolve("var/run/postgresql"));
        instanceLog = Files.createDirectories(root.resolve("var/log/postgresql"))
                .resolve("postgresql-15-" + INSTANCE + ".log");
        require(run(HostCommand.of("chown", "-R", "postgres:postgres", root.toString())));
        port = freePort();
        HostProfile debian = HostProfile.builtIn("debian");
        asPostgres = new ProfileRestoreCommands(debian, debian.values(values(), INSTANCE, port));

        // what pg_createcluster does: initdb as postgres, then the configuration moves out of the data directory
        require(run(HostCommand.of("sudo", "-n", "-u", "postgres", BIN + "/initdb", "-D", dataDir.toString(),
                "--auth-local", "peer", "--auth-host", "scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8")));
        for (String f : List.of("postgresql.conf", "pg_hba.conf", "pg_ident.conf")) {
            require(run(HostCommand.of("sudo", "-n", "-u", "postgres", "mv", "--", dataDir.resolve(f).toString(),
                    confDir.resolve(f).toString())));
        }
        String arch = dev.pgdeck.model.ShellQuote.quote(archive.toString());
        require(run(asPostgres.append(confDir.resolve("postgresql.conf").toString(), "\n"
                + "data_directory = '" + dataDir + "'\n"
                + "hba_file = '" + confDir.resolve("pg_hba.conf") + "'\n"
                + "ident_file = '" + confDir.resolve("pg_ident.conf") + "'\n"
                + "external_pid_file = '" + socketDir.resolve("15-" + INSTANCE + ".pid") + "'\n"
                + "port = " + port + "\nlisten_addresses = ''\nunix_socket_directories = '" + socketDir + "'\n"
                + "cluster_name = '15/" + INSTANCE + "'\nfsync = off\nwal_level = replica\narchive_mode = on\n"
                + "archive_command = 'test ! -f " + arch + "/%f && cp %p " + arch + "/%f'\n"
                + "include_dir = 'conf.d'\n")));
        productionConf = Files.readString(confDir.resolve("postgresql.conf"));
        // as pg_ctlcluster starts it: the data directory, the configuration file given apart, the log in var/log
        require(run(HostCommand.of("sudo", "-n", "-u", "postgres", BIN + "/pg_ctl", "start", "-D",
                dataDir.toString(), "-l", instanceLog.toString(), "-w", "-t", "60", "-o",
                "-c config_file=" + confDir.resolve("postgresql.conf"))));

        sql("CREATE TABLE t (id serial PRIMARY KEY, v text)");
        sql("INSERT INTO t (v) SELECT 'a' FROM generate_series(1, 100)");
        switchAndWait();
        require(run(HostCommand.of("sudo", "-n", "-u", "postgres", BIN + "/pg_basebackup", "-h",
                socketDir.toString(), "-p", Integer.toString(port), "-D", backups.resolve("20251011-120000").toString(),
                "-Ft", "-z", "-Xstream", "-c", "fast", "-l", "pgdeck 20251011-120000")));
        waitFor(() -> listArchive().stream().anyMatch(f -> f.endsWith(".backup")), "backup history file");
        sql("INSERT INTO t (v) SELECT 'b' FROM generate_series(1, 100)");
        HostActions actions = new HostActions(local, debian, values(), Clock.systemUTC());
        actions.logRestorePoint(INSTANCE, port, "after-b",
                run(asPostgres.sql(port, "SELECT pg_create_restore_point('after-b')")));
        afterB = OffsetDateTime.parse(sql("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"));
        switchAndWait();
        sql("SELECT pg_sleep(1.2)");
        sql("INSERT INTO t (v) SELECT 'c' FROM generate_series(1, 100)");
        switchAndWait();
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (root == null) {
            return;
        }
        run(HostCommand.of("sudo", "-n", "-u", "postgres", BIN + "/pg_ctl", "stop", "-D", dataDir.toString(), "-m",
                "fast", "-w", "-t", "60"));
        TempTrees.delete(root);
    }

    /** The debian profile's paths, pointed under the temp root; everything else is the profile's own. */
    static Map<String, String> values() {
        Map<String, String> v = new HashMap<>();
        v.put("dataDir", root.resolve("var/lib/postgresql/15/" + INSTANCE).toString());
        v.put("walArchive", root.resolve("var/lib/postgresql/15/" + INSTANCE + "-wal-archive").toString());
        v.put("baseBackups", root.resolve("var/backups/postgresql/15/" + INSTANCE).toString());
        v.put("restorePointLog", root.resolve("var/lib/postgresql/15/pgdeck-restore-points.jsonl").toString());
        v.put("drillLog", root.resolve("var/lib/postgresql/15/pgdeck-drills.jsonl").toString());
        v.put("socketDir", root.resolve("var/run/postgresql").toString());
        v.put("instanceLog", root.resolve("var/log/postgresql/postgresql-15-" + INSTANCE + ".log").toString());
        v.put("metricsDir", root.resolve("metrics").toString());
        return v;
    }

    static CommandResult run(HostCommand c) throws HostCommandException {
        return local.run(c, Duration.ofMinutes(2));
    }

    static CommandResult require(CommandResult r) {
        assertTrue(r.succeeded(), r.describeFailure());
        return r;
    }

    /** One statement through the profile's own sqlAtPort (sudo -u postgres psql on the Unix socket). */
    static String sql(String statement) throws HostCommandException {
        return require(run(asPostgres.sql(port, statement))).stdout().strip();
    }

    static void switchAndWait() throws Exception {
        String segment = sql("SELECT pg_walfile_name(pg_switch_wal())");
        waitFor(() -> Files.exists(archive.resolve(segment)), "segment " + segment + " archived");
    }

    static List<String> listArchive() {
        try (Stream<Path> files = Files.list(archive)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private final CommandLog log = new CommandLog();

    private SshShell ssh() {
        return new SshShell(SSH.target("debian1", SSH.knownHosts()), log, HostKeyPrompt.REFUSE, PassphraseSource.NONE);
    }

    private static RestoreWorkflow workflow(SshShell shell) {
        return new RestoreWorkflow(shell, HostProfile.builtIn("debian"), values(), INSTANCE, port, Clock.systemUTC());
    }

    private static List<String> scratchCopies() throws IOException {
        try (Stream<Path> siblings = Files.list(dataDir.getParent())) {
            return siblings.map(p -> p.getFileName().toString()).filter(n -> n.contains(".drill-")).toList();
        }
    }

    /** Plans, checks and runs a drill with the debian profile; returns its plan's steps and its report. */
    private RestoreReport drill(RecoveryTarget target, List<RestorePlan> plans, List<RestoreEvent> events)
            throws Exception {
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            // psql --cluster finds no cluster of that name in /etc/postgresql: only the SQL facts are missing
            assertEquals(Set.of("sql"), state.errors().keySet(), state.errors().toString());
            BaseBackup backup = w.chooseBackup(state, target, 1).orElseThrow(
                    () -> new AssertionError(w.explain(state, target, 1).reason()));
            RestorePlan plan = w.plan(state, target, backup, 1, RestoreMode.DRILL, freePort(), VERIFY);
            plans.add(plan);
            List<PreflightCheck> checks = w.preflight(plan, state, true);
            assertFalse(RestorePreflight.anyFailed(checks), checks.toString());
            return w.execute(plan, events::add, new RestoreCancel(), new RestoreExecutor.Options(
                    Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMillis(500)));
        }
    }

    @Test
    @Order(1)
    void theBaseBackupOfADebianClusterHoldsNoServerConfiguration() throws Exception {
        String files = require(run(HostCommand.of("tar", "-tzf", backups.resolve("20251011-120000/base.tar.gz")
                .toString()))).stdout();
        assertTrue(files.lines().anyMatch(f -> f.equals("PG_VERSION")), files);
        assertTrue(files.lines().anyMatch(f -> f.equals("postgresql.auto.conf")), files);
        assertTrue(files.lines().noneMatch(f -> f.equals("postgresql.conf") || f.equals("pg_hba.conf")),
                "the configuration lives in " + confDir + ", not in the backup:\n" + files);
    }

    @Test
    @Order(2)
    void drillToARestorePointWritesAMinimalConfigurationAndHasExactlyTheRowsBeforeIt() throws Exception {
        List<String> archiveBefore = listArchive();
        List<RestorePlan> plans = new CopyOnWriteArrayList<>();
        List<RestoreEvent> events = new CopyOnWriteArrayList<>();

        RestoreReport report = drill(RecoveryTarget.name("after-b"), plans, events);

        assertTrue(report.succeeded(), report.account() + "\n" + events);
        assertTrue(report.reached(), report.progress().toString());
        assertEquals(List.of(List.of("a", "100"), List.of("b", "100")), report.verifyRows());
        assertEquals(2, report.timeline());
        assertTrue(report.progress().stoppingLine().startsWith("recovery stopping at restore point \"after-b\""),
                report.progress().stoppingLine());
        assertTrue(report.steps().stream().allMatch(s -> s.status() == StepResult.Status.DONE),
                report.steps().toString());
        // the plan (and so the dry-run script) has the step, before the recovery settings, its commands as postgres
        RestorePlan plan = plans.get(0);
        List<String> names = plan.steps().stream().map(RestoreStep::name).toList();
        int config = names.indexOf("Write a minimal server configuration");
        assertEquals(names.indexOf("Write the recovery settings") - 1, config, names.toString());
        String script = plan.toShellScript();
        assertTrue(script.contains("Write a minimal server configuration"), script);
        assertTrue(plan.steps().get(config).commands().stream()
                .allMatch(c -> c.shellLine().startsWith("sudo -n -u postgres sh -c ")));
        assertTrue(script.contains("unix_socket_directories = '\"'\"'" + root.resolve("var/run/postgresql")),
                script);
        // the scratch server's own log was followed; the live instance's log was not
        assertTrue(events.stream().anyMatch(e -> e instanceof RestoreEvent.LogLine l
                && l.line().contains("selected new timeline ID: 2")), events.toString());
        String live = "[" + livePid() + "]";
        assertTrue(events.stream().noneMatch(e -> e instanceof RestoreEvent.LogLine l && l.line().contains(live)),
                "no line of the live instance (" + live + ") among the drill's");
        // nothing reached the production archive, the configuration is untouched, the copy is gone
        assertEquals(archiveBefore, listArchive());
        assertEquals(productionConf, Files.readString(confDir.resolve("postgresql.conf")));
        assertEquals(List.of(), scratchCopies());
        assertEquals("300", sql("SELECT count(*) FROM t"));
        try (SshShell shell = ssh()) {
            DrillRecord last = workflow(shell).drills().lastSuccessful().orElseThrow();
            assertEquals("name after-b", last.target());
        }
    }

    @Test
    @Order(3)
    void drillToATimeStopsBeforeTheFirstLaterCommit() throws Exception {
        RestoreReport report = drill(RecoveryTarget.time(afterB), new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>());

        assertTrue(report.succeeded(), report.account());
        assertTrue(report.reached());
        assertEquals(List.of(List.of("a", "100"), List.of("b", "100")), report.verifyRows());
        assertTrue(report.progress().stoppingLine().startsWith("recovery stopping before commit of transaction"),
                report.progress().stoppingLine());
        assertEquals(List.of(), scratchCopies());
    }

    private static String livePid() throws IOException {
        return Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip();
    }
}
