package dev.pgdeck.remote.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.ShellQuote;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.pg.InstancePool;
import dev.pgdeck.remote.pg.LocalCluster;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.pg.PgBinaries;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 15 cluster archiving every finished WAL segment, in a temporary root laid out as a seed-002 host
 * for the sandbox profile: {@code var/lib/postgresql/15/main}, {@code main-wal-archive} beside it and base backups
 * under {@code var/backup/postgresql/main}. Started with a pool and a logged SQL connection; {@link #close()} stops
 * the server and deletes the tree. The SSH server is the test's own ({@link SshServerExtension}).
 */
public final class ArchivingCluster implements AutoCloseable {
    public static final String VERSION = "15";

    private final String name;
    private final Path root;
    private final Path dataDir;
    private final Path archive;
    private final Path backups;
    private final PgBinaries binaries;
    private final CommandLog log = new CommandLog();
    private final LocalShell shell;
    private final LocalCluster cluster;
    private final int port;
    private Path tablespaceDir;
    private InstancePool pool;
    private LoggedSql sql;

    private ArchivingCluster(String name) throws Exception {
        this.name = name;
        binaries = PgBinaries.locate(System.getenv());
        port = freePort();
        root = Files.createTempDirectory("pgdeck-" + name + "-");
        dataDir = root.resolve("var/lib/postgresql/" + VERSION + "/main");
        archive = root.resolve("var/lib/postgresql/" + VERSION + "/main-wal-archive");
        backups = root.resolve("var/backup/postgresql/main");
        shell = new LocalShell("test-host", log);
        cluster = new LocalCluster(shell, binaries, dataDir, root.resolve("server.log"));
    }

    /** Builds and starts the cluster; {@code name} names its temporary root ({@code pgdeck-<name>-}) and its pool. */
    public static ArchivingCluster start(String name) throws Exception {
        return start(name, Map.of());
    }

    /** As {@link #start(String)}, with {@code settings} added to (or replacing) the postgresql.conf lines written. */
    public static ArchivingCluster start(String name, Map<String, String> settings) throws Exception {
        return start(name, settings, null);
    }

    /**
     * As {@link #start(String, Map)}; with {@code tablespace} not null, a tablespace of that name is created in
     * {@code srv/tablespaces/<tablespace>} under the root, outside the data directory (as a second disk would be),
     * so that every {@code pg_basebackup -Ft} has its {@code <oid>.tar.gz} and a {@code tablespace_map} in base.tar.
     */
    public static ArchivingCluster start(String name, Map<String, String> settings, String tablespace)
            throws Exception {
        ArchivingCluster c = new ArchivingCluster(name);
        try {
            c.launch(settings);
            if (tablespace != null) {
                c.createTablespace(tablespace);
            }
            return c;
        } catch (Exception | Error e) {
            try {
                c.close();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void launch(Map<String, String> overrides) throws Exception {
        Files.createDirectories(archive);
        Files.createDirectories(backups);
        cluster.initdb();
        String arch = ShellQuote.quote(archive.toString());
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("port", Integer.toString(port));
        settings.put("listen_addresses", "'127.0.0.1'");
        settings.put("unix_socket_directories", "'" + root + "'");
        settings.put("fsync", "off");
        settings.put("wal_level", "replica");
        settings.put("archive_mode", "on");
        settings.put("archive_command", "'test ! -f " + arch + "/%f && cp %p " + arch + "/%f'");
        settings.put("max_wal_senders", "4");
        settings.putAll(overrides);
        StringBuilder conf = new StringBuilder("\n");
        settings.forEach((key, value) -> conf.append(key).append(" = ").append(value).append('\n'));
        Files.writeString(dataDir.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
        cluster.start();
        openPool(name);
    }

    private void createTablespace(String tablespace) throws Exception {
        tablespaceDir = root.resolve("srv/tablespaces/" + tablespace);
        Files.createDirectories(tablespaceDir);
        sql().execute("CREATE TABLESPACE " + tablespace + " LOCATION '" + tablespaceDir.toString().replace("'", "''")
                + "'");
    }

    /** Closes the pool (an in-place restore replaces the server under it); {@link #sql()} fails until reopened. */
    public void closePool() {
        if (pool != null) {
            pool.close();
            pool = null;
            sql = null;
        }
    }

    /** Opens a new pool named {@code poolName-<port>} for {@link #sql()}, closing the previous one if open. */
    public void openPool(String poolName) throws Exception {
        closePool();
        pool = InstancePool.open(poolName + "-" + port, "127.0.0.1", port, "postgres", "postgres", false);
        sql = new LoggedSql(pool.dataSource(), log, "test/main");
    }

    public LoggedSql sql() {
        if (sql == null) {
            throw new IllegalStateException("the pool of " + name + " is closed");
        }
        return sql;
    }

    public Path root() {
        return root;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path archive() {
        return archive;
    }

    /** The tablespace's directory outside the data directory, or null when started without one. */
    public Path tablespaceDir() {
        return tablespaceDir;
    }

    public Path backups() {
        return backups;
    }

    public PgBinaries binaries() {
        return binaries;
    }

    public int port() {
        return port;
    }

    /** The local shell the set-up runs through (its own command log). */
    public LocalShell shell() {
        return shell;
    }

    /** The sandbox profile's values for this root: {@code root}, {@code version}, {@code pgBin}. */
    public Map<String, String> values() {
        Map<String, String> v = new HashMap<>();
        v.put("root", root.toString());
        v.put("version", VERSION);
        v.put("pgBin", binaries.binDir().toString());
        return v;
    }

    /** Switches WAL and waits until the finished segment is in the archive; returns its name. */
    public String switchAndWait() throws Exception {
        String segment = sql().queryOne("SELECT pg_walfile_name(pg_switch_wal())", r -> r.getString(1));
        waitFor(() -> Files.exists(archive.resolve(segment)), "segment " + segment + " archived");
        return segment;
    }

    /** The archive's file names, sorted (empty while it cannot be listed, e.g. moved away by a test). */
    public List<String> listArchive() {
        try (Stream<Path> files = Files.list(archive)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Waits until the archive holds at least {@code count} backup history files (archived after each backup). */
    public void awaitBackupHistories(int count, String what) throws Exception {
        waitFor(() -> listArchive().stream().filter(f -> f.endsWith(".backup")).count() >= count, what);
    }

    /**
     * {@code pg_basebackup -Ft -z -c fast} into {@code backups/<label>} with {@code options} added (the WAL method, a
     * {@code -l} label); fails the test if it fails.
     */
    public void baseBackup(String label, String... options) throws Exception {
        baseBackup(label, Duration.ofMinutes(2), options);
    }

    public void baseBackup(String label, Duration timeout, String... options) throws Exception {
        List<String> words = new ArrayList<>(List.of(binaries.tool("pg_basebackup").toString(), "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-U", "postgres", "-D", backups.resolve(label).toString(), "-Ft", "-z",
                "-c", "fast"));
        words.addAll(List.of(options));
        CommandResult result = shell.run(HostCommand.of(words), timeout);
        assertTrue(result.succeeded(), result.describeFailure());
    }

    /** Whether restic is on PATH. */
    public boolean resticInstalled() throws Exception {
        return shell.run(HostCommand.of("sh", "-c", "command -v restic"), Duration.ofSeconds(10)).succeeded();
    }

    /** A real restic repository where the sandbox profile looks ({@code var/backup/restic}, password file beside). */
    public void initRestic() throws Exception {
        Path password = root.resolve("etc/restic/password");
        Files.createDirectories(password.getParent());
        Files.writeString(password, "test-only-password\n");
        restic(List.of("init"));
    }

    /** A restic snapshot of {@code dir}, tagged as on a seed-002 host: postgresql, the instance, the series. */
    public void resticSnapshot(String instance, String series, Path dir) throws Exception {
        restic(List.of("backup", "--tag", "postgresql", "--tag", instance, "--tag", series, dir.toString()));
    }

    private void restic(List<String> args) throws Exception {
        List<String> words = new ArrayList<>(List.of("restic", "-r", root.resolve("var/backup/restic").toString(),
                "--password-file", root.resolve("etc/restic/password").toString(), "--no-cache", "-q"));
        words.addAll(args);
        CommandResult r = shell.run(HostCommand.of(words), Duration.ofMinutes(2));
        assertTrue(r.succeeded(), r.describeFailure());
    }

    @Override
    public void close() throws Exception {
        closePool();
        if (cluster.isRunning()) {
            cluster.stop();
        }
        TempTrees.delete(root);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** What {@link #waitFor} waits for; may throw (then the wait fails with it). */
    public interface Condition {
        boolean met() throws Exception;
    }

    /** Polls {@code condition} every 50 ms for up to 60 s; fails with "timed out waiting for {@code what}". */
    public static void waitFor(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.met()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
