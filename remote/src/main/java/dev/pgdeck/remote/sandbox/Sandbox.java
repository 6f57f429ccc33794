package dev.pgdeck.remote.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.pg.InstancePool;
import dev.pgdeck.remote.pg.LocalCluster;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.warehouse.WarehouseException;
import dev.pgdeck.remote.warehouse.WarehouseMigrations;
import dev.pgdeck.remote.pg.PgBinaries;
import dev.pgdeck.remote.pg.PgBinariesNotFoundException;
import dev.pgdeck.remote.pg.PgVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The built-in sandbox host: a real PostgreSQL cluster on this machine, built on first start, reused afterwards.
 * All its commands run through a {@link LocalShell}, the local implementation of the host-command interface.
 */
public final class Sandbox {
    public static final String HOST_NAME = "sandbox";
    private static final int FIRST_PORT = 54320;
    /** How long a server that pg_ctl calls running may take to answer (crash recovery, a killed one's end). */
    private static final java.time.Duration ANSWER_WAIT = java.time.Duration.ofSeconds(30);
    /** How often a server that is up but not answering yet is asked again. */
    private static final java.time.Duration POLL = java.time.Duration.ofMillis(250);

    private final SandboxSettings settings;
    private final Map<String, String> env;
    private final CommandLog log;
    private final HostShell shell;
    private LocalCluster cluster;
    private boolean startedByUs;

    public Sandbox(SandboxSettings settings, Map<String, String> env, CommandLog log) {
        this.settings = settings;
        this.env = env;
        this.log = log;
        this.shell = new LocalShell(HOST_NAME, log);
    }

    public HostShell shell() {
        return shell;
    }

    public Path root() {
        return settings.root();
    }

    /** Builds the sandbox if it has never been completed, then makes sure its server runs. */
    public synchronized SandboxInstance start(Progress progress) throws SandboxException {
        ensureWritableRoot();
        PgBinaries binaries = locateBinaries();
        try {
            Path stateFile = SandboxLayout.stateFile(settings.root());
            boolean build = !Files.exists(stateFile);
            SandboxState state = build ? build(binaries, progress) : readState(stateFile);
            SandboxLayout layout = new SandboxLayout(settings.root(), PgVersion.major(state.version()));
            cluster = new LocalCluster(shell, binaries, layout.dataDir(), layout.serverLog());
            if (!answering(cluster, state.port(), layout, progress)) {
                requireFreePort(state.port());
                progress.report("Starting PostgreSQL " + state.version() + " on port " + state.port(), 0.95);
                cluster.start();
                startedByUs = true;
            } else if (build) {
                startedByUs = true;
            }
            if (!build) {
                upgradeWarehouse(state.port(), progress);
            }
            SandboxHostFiles.installFixtures(settings.root());
            if (build || !Files.exists(SandboxHostFiles.resticRepo(settings.root()).resolve("config"))) {
                progress.report("Copying the base backups and the WAL archive into restic (where installed)", 0.97);
                SandboxHostFiles.backUpWithRestic(shell, layout);
            }
            SandboxHostFiles.writeMetrics(layout, true);
            progress.report("Sandbox ready: PostgreSQL " + state.version() + " from " + binaries.source(), 1.0);
            return new SandboxInstance(SandboxLayout.INSTANCE, state.port(), state.version(), layout,
                    binaries.source() + " (" + binaries.binDir() + ")", build);
        } catch (HostCommandException | IOException | SQLException | WarehouseException e) {
            String hint = e instanceof WarehouseException && e.getMessage().contains("checksum mismatch")
                    ? " `pgdeck sandbox reset` rebuilds the sandbox with this build's migrations." : "";
            throw new SandboxException("The sandbox at " + settings.root() + " could not start: "
                    + firstLine(e.getMessage()) + hint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("Starting the sandbox was interrupted", e);
        }
    }

    private static String firstLine(String message) {
        String s = message == null ? "" : message.strip();
        int newline = s.indexOf('\n');
        return newline < 0 ? s : s.substring(0, newline).strip();
    }

    /**
     * Whether a server is up and answering; false when none runs (start one). pg_ctl calls a server running as long as
     * the PID of postmaster.pid exists, which a postmaster killed with {@code kill -9} still does until its parent
     * reaps it (and its server processes run on for a moment): then this waits for them to end, and says exactly
     * what is left when they do not.
     */
    private boolean answering(LocalCluster cluster, int port, SandboxLayout layout, Progress progress)
            throws HostCommandException, SandboxException, IOException, InterruptedException {
        long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
        boolean told = false;
        while (true) {
            if (!cluster.isRunning()) {
                // A postmaster that is gone may have left server processes that end on their own within moments;
                // PostgreSQL would refuse to start beside them ("shared memory block is still in use").
                List<Long> orphans = cluster.processesInDataDir();
                if (orphans.isEmpty()) {
                    return false;
                }
                if (System.nanoTime() > deadline) {
                    throw new SandboxException("PostgreSQL's postmaster in " + layout.dataDir() + " is gone, but its"
                            + " server processes " + orphans + " still run there after " + ANSWER_WAIT.toSeconds()
                            + " s; stop them (kill " + orphans.stream().map(String::valueOf)
                            .collect(java.util.stream.Collectors.joining(" ")) + ") and start the sandbox again");
                }
                if (!told) {
                    progress.report("Waiting for the server processes a stopped postmaster left (" + orphans
                            + ") to end", 0.9);
                    told = true;
                }
                awaitExit(orphans, Math.min(deadline, System.nanoTime() + POLL.toNanos()));
                continue;
            }
            if (cluster.acceptsConnections(port)) {
                return true;
            }
            String fate = cluster.postmasterFate();
            long pid = cluster.postmasterPid();
            List<Long> left = fate == null ? List.of() : cluster.processesInDataDir();
            if ("zombie".equals(fate) && left.isEmpty()) {
                // Killed, unreaped, and nothing of it works in the data directory any more: PostgreSQL would refuse
                // the lock file of a PID that still exists, so pgdeck removes it (the shared memory interlock is moot
                // with no process left attached) and starts the server, which recovers from the crash.
                progress.report("PostgreSQL's postmaster (PID " + pid + ") was killed and is not reaped yet;"
                        + " removing its stale postmaster.pid", 0.9);
                log.record(dev.pgdeck.model.CommandLogEntry.Kind.COMMAND, HOST_NAME, "rm " + layout.dataDir()
                        + "/postmaster.pid", java.time.Instant.now(), "stale: PID " + pid + " is a zombie", false);
                Files.deleteIfExists(layout.dataDir().resolve("postmaster.pid"));
                Path socketLock = layout.socketDir().resolve(".s.PGSQL." + port + ".lock");
                if (Files.exists(socketLock) && Files.readAllLines(socketLock).stream().findFirst()
                        .map(String::strip).orElse("").equals(Long.toString(pid))) {
                    Files.deleteIfExists(socketLock);
                }
                return false;
            }
            if (System.nanoTime() > deadline) {
                if (fate != null) {
                    throw new SandboxException("PostgreSQL's postmaster (PID " + pid + ") in " + layout.dataDir()
                            + " was killed, but its server processes " + left + " still run there after "
                            + ANSWER_WAIT.toSeconds() + " s; stop them (kill " + left.stream().map(String::valueOf)
                            .collect(java.util.stream.Collectors.joining(" ")) + ") and start the sandbox again");
                }
                throw new SandboxException("PostgreSQL in " + layout.dataDir() + " is running (PID " + pid + ") but"
                        + " has not accepted connections on port " + port + " for " + ANSWER_WAIT.toSeconds()
                        + " s; see " + layout.serverLog());
            }
            if (!told) {
                progress.report("Waiting for PostgreSQL (PID " + pid + ") to accept connections on port " + port, 0.9);
                told = true;
            }
            // A killed postmaster is reaped (its exit event) or the server starts answering: look again then, or
            // after a quarter of a second, whichever comes first.
            awaitExit(List.of(pid), Math.min(deadline, System.nanoTime() + POLL.toNanos()));
        }
    }

    /**
     * Waits until every one of {@code pids} has ended (ProcessHandle's exit event) or {@code deadline} passes: the
     * caller looks again as soon as what it waits for happened, not after a fixed sleep.
     */
    private static void awaitExit(List<Long> pids, long deadline) throws InterruptedException {
        java.util.concurrent.CompletableFuture<?>[] exits = pids.stream().map(ProcessHandle::of)
                .flatMap(java.util.Optional::stream).map(ProcessHandle::onExit)
                .toArray(java.util.concurrent.CompletableFuture[]::new);
        // none of them exists any more (a PID pg_ctl still names): wait out the (short) time, never spin
        java.util.concurrent.CompletableFuture<?> all = exits.length == 0
                ? new java.util.concurrent.CompletableFuture<Void>()
                : java.util.concurrent.CompletableFuture.allOf(exits);
        try {
            all.get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // still running at the deadline: the caller looks again and says what is left
        }
    }

    /** Stops the server cleanly if this console started it; a server someone else started is left running. */
    public synchronized void stop() throws SandboxException {
        if (cluster == null || !startedByUs) {
            return;
        }
        try {
            if (cluster.isRunning()) {
                cluster.stop();
            }
            startedByUs = false;
        } catch (HostCommandException e) {
            throw new SandboxException("The sandbox's PostgreSQL did not stop: " + e.getMessage(), e);
        }
    }

    /** Stops the sandbox's server whoever started it (the `pgdeck sandbox stop` command). */
    public synchronized void stopEvenIfStartedElsewhere() throws SandboxException {
        stopAnyServer();
    }

    /** Stops the sandbox, removes it and builds a new one. Only pgdeck's own sandbox files are removed. */
    public synchronized SandboxInstance reset(Progress progress) throws SandboxException {
        stopAnyServer();
        removeSandboxFiles();
        return start(progress);
    }

    private SandboxState build(PgBinaries binaries, Progress progress)
            throws HostCommandException, IOException, SQLException, SandboxException, WarehouseException {
        stopAnyServer();
        removeSandboxFiles();
        progress.report("Creating the sandbox in " + settings.root(), 0.05);
        LocalCluster probe = new LocalCluster(shell, binaries, settings.root(), settings.root());
        String version = probe.serverVersion();
        SandboxLayout layout = new SandboxLayout(settings.root(), PgVersion.major(version));
        int port = settings.port().isPresent() ? settings.port().getAsInt() : PortCheck.firstFreeFrom(FIRST_PORT);
        requireFreePort(port);
        LocalCluster newCluster = new LocalCluster(shell, binaries, layout.dataDir(), layout.serverLog());
        SandboxBuilder builder = new SandboxBuilder(shell, binaries, layout, newCluster);
        progress.report("initdb: PostgreSQL " + version + " (binaries from " + binaries.source() + ")", 0.1);
        builder.createCluster(port);
        progress.report("Starting PostgreSQL on port " + port, 0.2);
        newCluster.start();
        try (InstancePool postgres = InstancePool.open("sandbox-build", "127.0.0.1", port, "postgres", "postgres", false)) {
            LoggedSql postgresSql = new LoggedSql(postgres.dataSource(), log, HOST_NAME + "/main");
            try (InstancePool analytics = InstancePool.open("sandbox-build-analytics", "127.0.0.1", port, "analytics",
                    "postgres", false)) {
                LoggedSql analyticsSql = new LoggedSql(analytics.dataSource(), log, HOST_NAME + "/main/analytics");
                progress.report("Creating the analytics warehouse with " + settings.events() + " events", 0.3);
                builder.createWarehouse(postgresSql, analyticsSql, analytics.dataSource(), log,
                        HOST_NAME + "/main/analytics", settings.events());
                postgresSql.execute("SELECT pg_switch_wal()");
                progress.report("Taking the first base backup", 0.55);
                builder.takeBaseBackup(port, postgres.dataSource(), log);
                postgresSql.execute("SELECT pg_create_restore_point('sandbox-first-backup-done')");
                progress.report("Adding more events after the first backup", 0.7);
                builder.addEvents(analyticsSql, settings.events() + 1L, Math.max(100, settings.events() / 10));
                postgresSql.execute("SELECT pg_create_restore_point('sandbox-late-events-loaded')");
                postgresSql.execute("SELECT pg_switch_wal()");
                progress.report("Taking the second base backup", 0.8);
                builder.takeBaseBackup(port, postgres.dataSource(), log);
                postgresSql.execute("SELECT pg_switch_wal()");
            }
        }
        SandboxState state = new SandboxState(version, port, settings.events(), Instant.now(),
                binaries.binDir().toString());
        writeState(state);
        return state;
    }

    /** A sandbox built by an older pgdeck gets the warehouse migrations it lacks (none pending: a quick check). */
    private void upgradeWarehouse(int port, Progress progress) throws WarehouseException {
        try (InstancePool analytics = InstancePool.open("sandbox-migrate", "127.0.0.1", port, "analytics", "postgres",
                false)) {
            Instant started = Instant.now();
            int applied = new WarehouseMigrations(analytics.dataSource()).migrate();
            if (applied > 0) {
                progress.report("Applied " + applied + " warehouse migrations", 0.97);
                log.record(dev.pgdeck.model.CommandLogEntry.Kind.SQL, HOST_NAME + "/main/analytics",
                        "flyway migrate (db/warehouse)", started, "applied " + applied + " migrations", false);
            }
        }
    }

    private void stopAnyServer() throws SandboxException {
        try {
            PgBinaries binaries = locateBinaries();
            for (Path dataDir : existingDataDirs()) {
                LocalCluster existing = new LocalCluster(shell, binaries, dataDir, dataDir.resolve("stop.log"));
                if (existing.isRunning()) {
                    existing.stop();
                }
            }
            startedByUs = false;
        } catch (HostCommandException e) {
            throw new SandboxException("The sandbox's PostgreSQL did not stop: " + e.getMessage(), e);
        }
    }

    private List<Path> existingDataDirs() {
        Path versions = settings.root().resolve("var/lib/postgresql");
        if (!Files.isDirectory(versions)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(versions)) {
            return dirs.map(dir -> dir.resolve(SandboxLayout.INSTANCE))
                    .filter(dir -> Files.exists(dir.resolve("PG_VERSION")))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Removes only what a sandbox consists of, so a mistyped PGDECK_SANDBOX_ROOT cannot wipe someone's files. */
    private void removeSandboxFiles() throws SandboxException {
        try {
            for (String part : List.of("sandbox.json", "var", "run", "fixtures", "etc")) {
                deleteTree(settings.root().resolve(part));
            }
        } catch (IOException e) {
            throw new SandboxException("Could not remove the old sandbox in " + settings.root() + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void ensureWritableRoot() throws SandboxException {
        Path root = settings.root();
        try {
            Files.createDirectories(root);
            Path probe = Files.createTempFile(root, ".write-check", "");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new SandboxException("The sandbox root " + root + " is not writable (" + why(e)
                    + "). Set PGDECK_SANDBOX_ROOT to a directory you can write to.", e);
        }
    }

    /** What a file system refusal means, in words (its exception's name says it, its message only names a path). */
    private static String why(Exception e) {
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + " is a file, not a directory";
        }
        if (e instanceof java.nio.file.NotDirectoryException n) {
            return n.getFile() + " is not a directory";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return (f.getFile() == null ? "" : f.getFile() + ": ") + f.getReason();
        }
        return e.getMessage() == null ? "refused" : e.getMessage();
    }

    private PgBinaries locateBinaries() throws SandboxException {
        try {
            return PgBinaries.locate(env);
        } catch (PgBinariesNotFoundException e) {
            throw new SandboxException(e.getMessage(), e);
        }
    }

    private static void requireFreePort(int port) throws SandboxException {
        if (!PortCheck.isFree(port)) {
            throw new SandboxException("Port " + port + " on 127.0.0.1 is already taken by another program, so the"
                    + " sandbox's PostgreSQL cannot listen there. Stop that program, or reset the sandbox with"
                    + " PGDECK_SANDBOX_PORT set to a free port.");
        }
    }

    private SandboxState readState(Path stateFile) throws IOException, SandboxException {
        try {
            return Json.mapper().readValue(stateFile.toFile(), SandboxState.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new SandboxException("The sandbox's state file " + stateFile + " is damaged (" + e.getOriginalMessage()
                    + "). Run `pgdeck sandbox reset` to build a new sandbox.", e);
        }
    }

    private void writeState(SandboxState state) throws IOException {
        ObjectMapper mapper = Json.mapper();
        Path stateFile = SandboxLayout.stateFile(settings.root());
        Path temporary = stateFile.resolveSibling("sandbox.json.tmp");
        mapper.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), state);
        Files.move(temporary, stateFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
