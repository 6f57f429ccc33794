package dev.pgdeck.remote.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.pg.InstancePool;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.testing.TestSandbox;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The sandbox against real PostgreSQL binaries: built once, reused, reset, and its bad-input errors. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxTest {
    private static final Path ROOT = TestSandbox.root("sandbox-test");
    private static final int EVENTS = TestSandbox.EVENTS;

    private final CommandLog log = new CommandLog();

    private SandboxHost host(Path root, Map<String, String> env, OptionalInt port) {
        return new SandboxHost(new SandboxSettings(root, EVENTS, port), env, log);
    }

    @Test
    @Order(1)
    void firstStartBuildsASeed002HostWithTheWarehouse() throws Exception {
        try (SandboxHost host = host(ROOT, TestSandbox.environment(ROOT), OptionalInt.empty())) {
            host.sandbox().reset(Progress.NONE);
            SandboxInstance instance = host.start(Progress.NONE);
            HostStatus status = host.status();

            assertTrue(status.reachable());
            InstanceStatus main = status.instances().get(0);
            assertEquals("main", main.name());
            assertTrue(main.running(), () -> "not running: " + main.error());
            assertTrue(main.version().startsWith(instance.layout().majorVersion() + "."), main.version());
            assertEquals(2, main.baseBackupCount());
            assertTrue(main.archiver().archivedCount() >= 3, "archived " + main.archiver().archivedCount());
            assertEquals(0, main.archiver().failedCount());
            assertNull(main.error());

            SandboxLayout layout = instance.layout();
            assertEquals(ROOT.resolve("var/lib/postgresql/" + layout.majorVersion() + "/main-wal-archive"),
                    layout.walArchive());
            List<Path> backups = list(layout.baseBackups());
            assertEquals(2, backups.size());
            for (Path backup : backups) {
                assertTrue(backup.getFileName().toString().matches("\\d{8}-\\d{6}"), backup.toString());
                for (String file : List.of("base.tar.gz", "pg_wal.tar.gz", "backup_manifest")) {
                    assertTrue(Files.size(backup.resolve(file)) > 0, backup + "/" + file);
                }
            }
            assertTrue(list(layout.walArchive()).stream()
                    .anyMatch(p -> p.getFileName().toString().matches("[0-9A-F]{24}")), "no WAL segment archived");
            assertTrue(serverLogs(layout).contains("restore point \"sandbox-first-backup-done\" created"),
                    "restore point not in the server log");
            checkWarehouse(instance.port());
        }
    }

    private void checkWarehouse(int port) throws Exception {
        try (InstancePool pool = InstancePool.open("check", "127.0.0.1", port, "analytics", "postgres", true)) {
            LoggedSql sql = new LoggedSql(pool.dataSource(), log, "check");
            long events = sql.queryOne("SELECT count(*) FROM web_analytics.posthog_events", r -> r.getLong(1));
            assertEquals(EVENTS + EVENTS / 10, events);
            long summarised = sql.queryOne("SELECT sum(total_events) FROM web_analytics.daily_summary", r -> r.getLong(1));
            assertEquals(events, summarised);
            // Built through the warehouse migrations, marts included.
            assertEquals("8", sql.queryOne("SELECT max(version::int)::text FROM ingest.flyway_schema_history"
                    + " WHERE success", r -> r.getString(1)));
            assertEquals(events, (long) sql.queryOne("SELECT sum(events) FROM web_analytics.mart_events_daily",
                    r -> r.getLong(1)));
            long pageviewsWithoutUrl = sql.queryOne("SELECT count(*) FROM web_analytics.posthog_events"
                    + " WHERE event_name = '$pageview' AND properties->>'$current_url' IS NULL", r -> r.getLong(1));
            assertEquals(0, pageviewsWithoutUrl);
            double spanDays = sql.queryOne("SELECT extract(epoch FROM max(timestamp) - min(timestamp)) / 86400"
                    + " FROM web_analytics.posthog_events", r -> r.getDouble(1));
            assertTrue(spanDays > 150 && spanDays <= 180.1, "events span " + spanDays + " days");
            long roles = sql.queryOne("SELECT count(*) FROM pg_roles WHERE rolname IN"
                    + " ('analytics_readonly', 'analytics_writer')", r -> r.getLong(1));
            assertEquals(2, roles);
        }
    }

    @Test
    @Order(2)
    void secondStartReusesTheSandboxAndCloseStopsTheServer() throws Exception {
        String stateBefore = Files.readString(SandboxLayout.stateFile(ROOT));
        SandboxInstance instance;
        try (SandboxHost host = host(ROOT, TestSandbox.environment(ROOT), OptionalInt.empty())) {
            instance = host.start(Progress.NONE);
            assertFalse(instance.builtNow());
            assertEquals(2, host.status().instances().get(0).baseBackupCount());
        }
        assertEquals(stateBefore, Files.readString(SandboxLayout.stateFile(ROOT)));
        assertTrue(PortFree.check(instance.port()), "the server still listens after close()");
        assertTrue(serverLogs(instance.layout()).contains("database system is shut down"));
    }

    @Test
    @Order(3)
    void resetBuildsANewSandbox() throws Exception {
        SandboxState before = Json.mapper().readValue(SandboxLayout.stateFile(ROOT).toFile(), SandboxState.class);
        try (SandboxHost host = host(ROOT, TestSandbox.environment(ROOT), OptionalInt.empty())) {
            SandboxInstance instance = host.reset(Progress.NONE);
            assertTrue(instance.builtNow());
            assertTrue(host.status().instances().get(0).running());
        }
        SandboxState after = Json.mapper().readValue(SandboxLayout.stateFile(ROOT).toFile(), SandboxState.class);
        assertNotEquals(before.initialisedAt(), after.initialisedAt());
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        Path root = TestSandbox.root("port-taken");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             SandboxHost host = host(root, TestSandbox.environment(root), OptionalInt.of(taken.getLocalPort()))) {
            SandboxException e = assertThrows(SandboxException.class, () -> host.start(Progress.NONE));
            assertTrue(e.getMessage().contains("Port " + taken.getLocalPort() + " on 127.0.0.1 is already taken"),
                    e.getMessage());
        }
    }

    @Test
    void anUnwritableRootIsAClearError() throws Exception {
        Path file = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "not-a-dir", "");
        Path root = file.resolve("sandbox");
        try (SandboxHost host = host(root, TestSandbox.environment(root), OptionalInt.empty())) {
            SandboxException e = assertThrows(SandboxException.class, () -> host.start(Progress.NONE));
            assertTrue(e.getMessage().contains("The sandbox root " + root + " is not writable"), e.getMessage());
            assertTrue(e.getMessage().contains("PGDECK_SANDBOX_ROOT"), e.getMessage());
        }
    }

    @Test
    void missingBinariesAreAClearError() throws Exception {
        Path root = TestSandbox.root("no-binaries");
        Map<String, String> env = new java.util.HashMap<>(TestSandbox.environment(root));
        env.put("PGDECK_PG_BIN", root.resolve("nowhere").toString());
        try (SandboxHost host = host(root, env, OptionalInt.empty())) {
            SandboxException e = assertThrows(SandboxException.class, () -> host.start(Progress.NONE));
            assertTrue(e.getMessage().contains("PGDECK_PG_BIN is set to " + root.resolve("nowhere")), e.getMessage());
        }
    }

    @Test
    void withEmbeddedBinariesTheBackupsGoThroughTheLowLevelApi() throws Exception {
        Path root = TestSandbox.root("embedded");
        Path cache = root.resolveSibling("embedded-cache");
        Map<String, String> env = new java.util.HashMap<>(TestSandbox.environment(root));
        env.put("PATH", "/usr/bin:/bin");
        env.put("XDG_CACHE_HOME", cache.toString());
        Path bin = dev.pgdeck.remote.pg.PgBinaries.embedded(cache).binDir();
        assertFalse(Files.exists(bin.resolve("pg_basebackup")), "the bundled binaries were expected to lack it");
        env.put("PGDECK_PG_BIN", bin.toString());
        try (SandboxHost host = host(root, env, OptionalInt.empty())) {
            SandboxInstance instance = host.reset(Progress.NONE);
            InstanceStatus main = host.status().instances().get(0);
            assertTrue(main.running(), () -> String.valueOf(main.error()));
            assertEquals(2, main.baseBackupCount());
            for (Path backup : list(instance.layout().baseBackups())) {
                String label = tarEntry(backup.resolve("base.tar.gz"), "backup_label");
                assertTrue(label.contains("START WAL LOCATION") && label.contains("LABEL: pgdeck sandbox"), label);
                assertTrue(tarEntry(backup.resolve("base.tar.gz"), "PG_VERSION").startsWith("15"));
            }
        }
    }

    private static String tarEntry(Path tarGz, String name) throws IOException {
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.util.zip.GZIPInputStream(Files.newInputStream(tarGz)))) {
            for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.getName().equals(name)) {
                    return new String(tar.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError(name + " not in " + tarGz);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }

    private static String serverLogs(SandboxLayout layout) throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path logFile : list(layout.dataDir().resolve("log"))) {
            all.append(Files.readString(logFile));
        }
        return all.toString();
    }

    private static final class PortFree {
        static boolean check(int port) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
