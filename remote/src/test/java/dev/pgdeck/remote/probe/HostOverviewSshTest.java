package dev.pgdeck.remote.probe;

import static dev.pgdeck.remote.testing.ArchivingCluster.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandLogEntry;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.overview.BaseBackupSummary;
import dev.pgdeck.model.overview.WindowSummary;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.testing.ArchivingCluster;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The host overview against a real PostgreSQL 15 with real WAL archiving and two real pg_basebackup backups in the
 * seed-002 layout, read over the embedded SSH server (commands through a real /bin/sh), with the sandbox profile.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostOverviewSshTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();

    private static final String ZFS_FIXTURE = "tank/services/postgresql/main@autosnap_2025-10-11_00:00:01_daily\t1760140801\t2101248\t15234576082\n"
            + "tank/services/postgresql/main-wal@autosnap_2025-10-11_00:00:01_daily\t1760140801\t393216\t419430400\n"
            + "tank/services/postgresql/dev@autosnap_2025-10-11_00:00:01_daily\t1760140801\t4096\t8192\n";
    private static final String TIMERS_FIXTURE = "[{\"next\":1760234400000000,\"left\":1760234400000000,\"last\":1760148003998877,"
            + "\"passed\":1760148003998877,\"unit\":\"postgresql-basebackup-main.timer\",\"activates\":\"postgresql-basebackup-main.service\"}]\n";

    static ArchivingCluster pg;
    static final List<String> BACKUPS = new ArrayList<>();
    /** A segment archived after the first backup's stop and before the second backup's start. */
    static String middleSegment;
    static boolean resticInstalled;

    @BeforeAll
    static void buildHost() throws Exception {
        pg = ArchivingCluster.start("overview");
        Path root = pg.root();
        Files.createDirectories(root.resolve("fixtures"));
        Files.createDirectories(root.resolve("var/lib/node_exporter/textfile_collector"));
        Files.writeString(root.resolve("fixtures/zfs-list-snapshots.txt"), ZFS_FIXTURE);
        Files.writeString(root.resolve("fixtures/systemctl-list-timers.json"), TIMERS_FIXTURE);
        // syncoid's target (the sandbox profile's zfsReplicaRoot): main's daily snapshot is there, main-wal's is not
        Files.writeString(root.resolve("fixtures/zfs-list-snapshots-target.txt"),
                "backup/forge/postgresql/main@autosnap_2025-10-11_00:00:01_daily\t1760140801\t2097152\t15234576082\n");
        Files.writeString(root.resolve("fixtures/systemctl-list-units-failed.json"), "[]\n");
        Files.writeString(root.resolve("var/lib/node_exporter/textfile_collector/postgresql_health.prom"),
                "# TYPE postgresql_health gauge\npostgresql_health{instance=\"main\"} 1\n");
        LoggedSql sql = pg.sql();
        sql.execute("CREATE TABLE t (id serial PRIMARY KEY, v text)");
        pg.switchAndWait();
        BACKUPS.add(baseBackup("20251011-120000"));
        sql.execute("INSERT INTO t (v) SELECT 'x' FROM generate_series(1, 1000)");
        pg.switchAndWait();
        sql.execute("INSERT INTO t (v) SELECT 'y' FROM generate_series(1, 1000)");
        middleSegment = pg.switchAndWait();
        sql.execute("INSERT INTO t (v) SELECT 'z' FROM generate_series(1, 1000)");
        pg.switchAndWait();
        BACKUPS.add(baseBackup("20251012-120000"));
        sql.execute("INSERT INTO t (v) SELECT 'w' FROM generate_series(1, 1000)");
        pg.switchAndWait();
        resticInstalled = pg.resticInstalled();
        if (resticInstalled) {
            // a real repository, as on a seed-002 host: base backups and WAL archive, tagged per instance
            pg.initRestic();
            pg.resticSnapshot("main", "base-backup", pg.backups());
            pg.resticSnapshot("main", "wal-archive", pg.archive());
            pg.resticSnapshot("dev", "base-backup", pg.backups());
        }
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    static String baseBackup(String name) throws Exception {
        pg.baseBackup(name, "-Xstream", "-l", "test " + name);
        // the backup history file is archived after the backup; wait for it
        pg.awaitBackupHistories(BACKUPS.size() + 1, "backup history file of " + name);
        return name;
    }

    private final CommandLog log = new CommandLog();

    private HostStatus probe(HostProfile profile, String instance) throws Exception {
        try (SshShell shell = new SshShell(SSH.target("db1", SSH.knownHosts()), log, HostKeyPrompt.REFUSE,
                PassphraseSource.NONE)) {
            return new HostOverviewProbe(shell, profile, pg.values())
                    .probe(List.of(new HostOverviewProbe.Instance(instance, pg.port())));
        }
    }

    private HostStatus probe() throws Exception {
        return probe(HostProfile.builtIn("sandbox"), "main");
    }

    @Test
    @Order(1)
    void overviewOverSshMatchesTheServerAndItsFilesInOneRoundTrip() throws Exception {
        HostStatus host = probe();
        InstanceStatus main = host.instances().get(0);

        assertTrue(host.reachable(), host.error());
        if (resticInstalled) {
            assertEquals(Map.of(), host.errors());
            assertEquals(Map.of(), main.errors(), "every part readable");
            assertEquals(List.of("base-backup", "wal-archive"), main.resticSnapshots().stream()
                    .map(s -> s.tags().get(2)).toList(), "main's two series, not dev's snapshot");
        } else {
            assertTrue(main.errors().get("restic").startsWith("restic not available"), main.errors().toString());
        }
        assertEquals(1, host.probe().roundTrips());
        assertEquals(1, log.entries().stream().filter(e -> e.kind() == CommandLogEntry.Kind.COMMAND).count(),
                "the whole overview is one command over SSH");
        assertTrue(main.running());
        assertTrue(main.version().startsWith("15."), main.version());
        assertEquals(Boolean.FALSE, main.inRecovery());
        assertEquals(1, main.timeline());
        // pg_stat_archiver agrees with the server
        long archived = pg.sql().queryOne("SELECT archived_count FROM pg_stat_archiver", r -> r.getLong(1));
        assertEquals(archived, main.archiver().archivedCount());
        assertEquals(0, main.archiver().failedCount());
        assertEquals(0, main.archiver().readyFiles());
        assertEquals(0L, main.archiver().lagSegments());
        assertEquals(0L, main.archiver().lagSeconds());
        // the archive as on disk
        long segmentsOnDisk = pg.listArchive().stream().filter(f -> f.length() == 24).count();
        assertEquals(segmentsOnDisk, main.walArchive().segments());
        assertEquals(List.of(), main.walArchive().gaps());
        assertEquals(pg.listArchive().stream().filter(f -> f.length() == 24).findFirst().orElseThrow(),
                main.walArchive().oldest());
        assertEquals(2, main.walArchive().backupHistoryFiles().size());
        // both base backups, with start/stop from their backup history files
        assertEquals(BACKUPS, main.baseBackups().stream().map(BaseBackupSummary::label).toList());
        assertEquals(2, main.baseBackupCount());
        for (BaseBackupSummary b : main.baseBackups()) {
            assertEquals("backup history file", b.source());
            assertEquals("test " + b.label(), b.pgLabel());
            assertEquals(1, b.timeline());
            assertNotNull(b.startLsn());
            assertNotNull(b.stopTime());
            String history = Files.readString(pg.archive().resolve(main.walArchive().backupHistoryFiles()
                    .get(BACKUPS.indexOf(b.label()))));
            assertTrue(history.contains("STOP WAL LOCATION: " + b.stopLsn() + " "), history);
            long size;
            try (Stream<Path> files = Files.list(pg.backups().resolve(b.label()))) {
                size = files.mapToLong(p -> p.toFile().length()).sum();
            }
            assertEquals(size, b.sizeBytes());
        }
        // the window: from the first backup's stop to the last archived WAL, without gaps
        WindowSummary w = main.recoverableWindow();
        assertEquals(1, w.timeline());
        assertEquals(main.baseBackups().get(0).stopTime(), w.earliest());
        assertEquals(main.archiver().lastArchivedTime().toInstant(), w.latest().toInstant());
        assertEquals(List.of(), w.gaps());
        assertNull(w.brokenAfter());
        // host parts from the recorded outputs: only main's datasets
        assertEquals(2, main.zfsSnapshots().size());
        assertTrue(main.zfsSnapshots().stream().allMatch(s -> s.dataset().startsWith("tank/services/postgresql/main")));
        assertEquals(List.of(true, false), main.zfsSnapshots().stream().map(s -> s.replicated()).toList(),
                "main's snapshot is on the replication target, main-wal's is not");
        assertEquals("postgresql-basebackup-main.timer", host.timers().get(0).unit());
        assertEquals(List.of(), host.failedUnits());
        assertEquals(1.0, host.metrics().get("postgresql_health").get(0).value());
        // the recorded backup timer dates from 2025 and the other seed-002 timers are missing: warn, not ok
        assertEquals("warn", main.health().state(), main.health().reasons().toString());
        assertTrue(main.health().reasons().stream().anyMatch(r -> r.contains("postgresql-walprune-main.timer")));
    }

    @Test
    @Order(2)
    void aSegmentDeletedFromTheArchiveSplitsTheWindow() throws Exception {
        Path segment = pg.archive().resolve(middleSegment);
        Path aside = pg.root().resolve(middleSegment + ".aside");
        Files.move(segment, aside);
        try {
            InstanceStatus main = probe().instances().get(0);

            assertEquals(1, main.walArchive().gaps().size());
            var gap = main.walArchive().gaps().get(0);
            assertTrue(gap.after().compareTo(middleSegment) < 0 && gap.before().compareTo(middleSegment) > 0,
                    gap + " around " + middleSegment + " in " + pg.listArchive());
            assertEquals(1, gap.missingSegments());
            WindowSummary w = main.recoverableWindow();
            assertEquals(1, w.gaps().size(), w.toString());
            WindowSummary.Gap hole = w.gaps().get(0);
            assertEquals(middleSegment, hole.firstMissingSegment());
            assertEquals(main.baseBackups().get(1).stopTime().toInstant(), hole.to().toInstant(),
                    "recoverable again from the second backup's stop");
            // backup_label times have whole seconds and this test runs within a second or two
            assertFalse(hole.from().isAfter(hole.to().plusSeconds(1)), hole.toString());
            assertEquals(main.baseBackups().get(0).stopTime(), w.earliest());
            assertEquals("warn", main.health().state());
            assertTrue(main.health().reasons().stream().anyMatch(r -> r.contains("WAL gap inside the recoverable window")
                    && r.contains(middleSegment)), main.health().reasons().toString());
        } finally {
            Files.move(aside, segment);
        }
    }

    @Test
    @Order(3)
    void aHostileInstanceNameReachesTheHostAsALiteral() throws Exception {
        Path pwned = pg.root().resolve("pwned");
        String hostile = "main; touch " + pwned + " `touch " + pwned + "2` $(touch " + pwned + "3) '\"";
        HostStatus host = probe(HostProfile.builtIn("sandbox"), hostile);
        InstanceStatus inst = host.instances().get(0);

        assertFalse(Files.exists(pwned));
        assertFalse(Files.exists(pg.root().resolve("pwned2")));
        assertFalse(Files.exists(pg.root().resolve("pwned3")));
        assertEquals(hostile, inst.name());
        assertTrue(inst.running(), "SQL does not involve the name: " + inst.errors());
        String error = inst.errors().get("walArchive");
        assertNotNull(error, inst.errors().toString());
        assertTrue(error.contains("No such file"), error);
        assertTrue(error.contains(hostile + "-wal-archive"), "the literal path reached find: " + error);
        assertNull(inst.walArchive());
        assertNotNull(inst.archiver(), "other parts are still read");
    }

    @Test
    @Order(4)
    void eachCommandFailsOnItsOwn() throws Exception {
        HostProfile sandbox = HostProfile.builtIn("sandbox");
        Map<String, List<String>> commands = new HashMap<>(sandbox.commands());
        commands.put("zfsSnapshots", List.of("zfs-not-installed-here", "list", "-H", "-p"));
        commands.put("resticSnapshots", List.of("sh", "-c", "echo 'repository is locked' >&2; exit 3"));
        commands.put("timers", List.of("echo", "this is not JSON"));
        commands.put("baseBackupFiles", List.of("find", "{baseBackups}/missing", "-printf", "%P %s\\n"));
        HostProfile broken = new HostProfile("broken", "test", sandbox.variables(), sandbox.paths(), sandbox.units(),
                sandbox.expectedTimers(), sandbox.zfsDatasets(), commands);
        HostStatus host = probe(broken, "main");
        InstanceStatus main = host.instances().get(0);

        assertTrue(host.reachable());
        assertTrue(host.errors().get("zfs").startsWith("ZFS not available"), host.errors().get("zfs"));
        assertTrue(host.errors().get("restic").contains("status 3: repository is locked"), host.errors().get("restic"));
        assertTrue(host.errors().get("timers").startsWith("systemctl list-timers"), host.errors().get("timers"));
        assertNull(host.timers());
        assertNull(main.zfsSnapshots());
        assertEquals(host.errors().get("zfs"), main.errors().get("zfs"));
        assertTrue(main.errors().get("baseBackups").contains("No such file"), main.errors().toString());
        assertNull(main.baseBackups());
        // everything else is still there
        assertEquals(List.of(), host.failedUnits());
        assertNotNull(host.metrics());
        assertTrue(main.walArchive().segments() > 0);
        assertTrue(main.archiver().archivedCount() > 0);
        assertTrue(main.health().reasons().contains("the base backups could not be listed"),
                main.health().reasons().toString());
        assertEquals(1, host.probe().roundTrips());
    }

    @Test
    @Order(5)
    void archivingThatFailsShowsLagReadyFilesAndFails() throws Exception {
        LoggedSql sql = pg.sql();
        long failedBefore = sql.queryOne("SELECT failed_count FROM pg_stat_archiver", r -> r.getLong(1));
        sql.execute("ALTER SYSTEM SET archive_command = 'false'");
        sql.execute("SELECT pg_reload_conf()");
        Thread.sleep(300);
        try {
            sql.execute("INSERT INTO t (v) SELECT 'lag' FROM generate_series(1, 1000)");
            sql.queryOne("SELECT pg_switch_wal()", r -> r.getString(1));
            sql.execute("INSERT INTO t (v) SELECT 'lag' FROM generate_series(1, 1000)");
            sql.queryOne("SELECT pg_switch_wal()", r -> r.getString(1));
            sql.execute("INSERT INTO t (v) SELECT 'lag' FROM generate_series(1, 10)");
            waitFor(() -> sql.queryOne("SELECT failed_count FROM pg_stat_archiver", r -> r.getLong(1)) > failedBefore,
                    "archive failures");
            InstanceStatus main = probe().instances().get(0);

            assertTrue(main.archiver().failedCount() > failedBefore);
            assertTrue(main.archiver().readyFiles() >= 2, main.archiver().toString());
            assertTrue(main.archiver().lagSegments() >= 2, main.archiver().toString());
            assertTrue(main.archiver().lagBytes() > 2 * 16L * 1024 * 1024, main.archiver().toString());
            long sinceLast = Duration.between(main.archiver().lastArchivedTime(), OffsetDateTime.now(ZoneOffset.UTC))
                    .getSeconds();
            assertTrue(Math.abs(main.archiver().lagSeconds() - sinceLast) <= 2, main.archiver().toString());
            assertEquals("fail", main.health().state());
            assertTrue(main.health().reasons().stream().anyMatch(r -> r.startsWith("WAL archiving is failing")),
                    main.health().reasons().toString());
        } finally {
            sql.execute("ALTER SYSTEM RESET archive_command");
            sql.execute("SELECT pg_reload_conf()");
        }
        waitFor(() -> Files.list(pg.dataDir().resolve("pg_wal/archive_status"))
                .noneMatch(p -> p.toString().endsWith(".ready")), "archiving to catch up");
        InstanceStatus after = probe().instances().get(0);
        assertEquals(0, after.archiver().readyFiles());
        assertEquals(0L, after.archiver().lagSegments());
    }

    @Test
    @Order(6)
    void oneBatchAgainstOneRoundTripPerCommand() throws Exception {
        HostProfile profile = HostProfile.builtIn("sandbox");
        HostOverviewProbe probe;
        List<CommandBatch.Part> parts;
        long batched = Long.MAX_VALUE;
        long separate = Long.MAX_VALUE;
        try (SshShell shell = new SshShell(SSH.target("db1", SSH.knownHosts()), log, HostKeyPrompt.REFUSE,
                PassphraseSource.NONE)) {
            probe = new HostOverviewProbe(shell, profile, pg.values());
            parts = probe.parts(List.of(new HostOverviewProbe.Instance("main", pg.port())));
            probe.probe(List.of(new HostOverviewProbe.Instance("main", pg.port()))); // connect and warm up
            for (int round = 0; round < 5; round++) {
                long t0 = System.nanoTime();
                probe.probe(List.of(new HostOverviewProbe.Instance("main", pg.port())));
                long t1 = System.nanoTime();
                for (CommandBatch.Part part : parts) {
                    shell.run(part.command(), Duration.ofSeconds(30));
                }
                long t2 = System.nanoTime();
                batched = Math.min(batched, t1 - t0);
                separate = Math.min(separate, t2 - t1);
            }
        }
        System.out.printf("host overview over SSH (loopback): one batch of %d commands %.1f ms, the same commands one"
                + " round trip each %.1f ms%n", parts.size(), batched / 1e6, separate / 1e6);
        long commands = log.entries().stream().filter(e -> e.kind() == CommandLogEntry.Kind.COMMAND).count();
        assertEquals(6 * 1 + 5 * parts.size(), commands, "a refresh is one command; the comparison runs each part");
        assertTrue(parts.size() >= 10, parts.toString());
    }

    @Test
    @Order(7)
    void actionsSwitchWalCreateALoggedRestorePointAndTakeABackupNow() throws Exception {
        try (SshShell shell = new SshShell(SSH.target("db1", SSH.knownHosts()), log, HostKeyPrompt.REFUSE,
                PassphraseSource.NONE)) {
            HostActions actions = new HostActions(shell, HostProfile.builtIn("sandbox"), pg.values(),
                    java.time.Clock.systemUTC());
            String before = pg.sql().queryOne("SELECT pg_walfile_name(pg_current_wal_lsn())", r -> r.getString(1));
            pg.sql().execute("INSERT INTO t (v) VALUES ('switch')");

            assertEquals(before, actions.switchWal("main", pg.port()),
                    "the switched segment is the one that was current");
            waitFor(() -> Files.exists(pg.archive().resolve(before)), "switched segment archived");

            assertEquals(List.of(), actions.restorePoints("main", pg.port()));
            Path pwned = Path.of("/tmp/pgdeck-rp-" + ProcessHandle.current().pid());
            String name = "before 'migration'; $(touch " + pwned + ")";
            HostActions.RestorePoint point = actions.createRestorePoint("main", pg.port(), name);
            assertEquals(name, point.name());
            assertTrue(point.lsn().matches("[0-9A-F]+/[0-9A-F]+"), point.lsn());
            assertFalse(Files.exists(pwned));
            assertEquals(List.of(point), actions.restorePoints("main", pg.port()));
            // Beside the data directory, not in it: an in-place restore moves the data directory aside, the log stays.
            String logged = Files.readString(pg.dataDir().resolveSibling("pgdeck-restore-points-main.jsonl"));
            assertEquals(1, logged.lines().count());
            assertTrue(logged.contains("\"name\":\"before 'migration'; $(touch "), logged);

            var backup = actions.baseBackupNow("main", pg.port());
            assertTrue(backup.succeeded(), backup.describeFailure());
        }
        waitFor(() -> pg.listArchive().stream().filter(f -> f.endsWith(".backup")).count() == 3,
                "third backup history");
        InstanceStatus main = probe().instances().get(0);
        assertEquals(3, main.baseBackups().size());
        assertEquals("backup history file", main.baseBackups().get(2).source());
    }

    /** The console's path: plan (the command shown for confirmation), then run it with its output streamed. */
    @Test
    @Order(8)
    void plannedActionsRunTheCommandShownAndStreamTheirOutput() throws Exception {
        try (SshShell shell = new SshShell(SSH.target("db1", SSH.knownHosts()), log, HostKeyPrompt.REFUSE,
                PassphraseSource.NONE)) {
            HostActions actions = new HostActions(shell, HostProfile.builtIn("sandbox"), pg.values(),
                    java.time.Clock.systemUTC());
            pg.sql().execute("INSERT INTO t (v) VALUES ('planned switch')");
            String current = pg.sql().queryOne("SELECT pg_walfile_name(pg_current_wal_lsn())", r -> r.getString(1));
            HostActions.Planned switchWal = actions.planSwitchWal("main", pg.port());
            assertTrue(switchWal.command().shellLine().contains("pg_switch_wal()"), switchWal.command().shellLine());
            List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
            var switched = actions.run(switchWal, lines::add);
            assertTrue(switched.succeeded(), switched.describeFailure());
            assertEquals(List.of(current), lines, "the switched segment, streamed as one line");
            assertEquals(switchWal.command().shellLine(), log.entries().get(log.entries().size() - 1).text(),
                    "the command run is the command shown");

            HostActions.Planned create = actions.planRestorePoint("main", pg.port(), "planned-point");
            var created = actions.run(create, line -> { });
            HostActions.RestorePoint point = actions.logRestorePoint("main", pg.port(), "planned-point", created);
            assertEquals(point, actions.restorePoints("main", pg.port()).get(1));
            assertThrows(IllegalArgumentException.class, () -> actions.planRestorePoint("main", pg.port(), " "));
        }
    }
}
