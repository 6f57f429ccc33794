package dev.pgdeck.remote.sandbox;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.pg.InstancePool;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.pg.PgBinaries;
import dev.pgdeck.remote.pg.PgBinariesNotFoundException;
import dev.pgdeck.remote.probe.HostOverviewProbe;
import dev.pgdeck.remote.probe.WalStops;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.probe.HostProbe;
import dev.pgdeck.remote.probe.InstanceTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox as a managed host: starts it, gives its overview, stops it. What the console and the headless
 * commands use; they never reach into the sandbox's files themselves.
 */
public final class SandboxHost implements AutoCloseable {
    private final Sandbox sandbox;
    /** The host profile the sandbox answers to. */
    public static final String PROFILE = "sandbox";

    private final CommandLog log;
    /** What the sandbox's refreshes have read of its archived WAL (the latest time targets). */
    private final WalStops walStops = new WalStops();
    private final Map<String, String> env;
    private SandboxInstance instance;
    private InstancePool pool;

    public SandboxHost(SandboxSettings settings, Map<String, String> env, CommandLog log) {
        this.sandbox = new Sandbox(settings, env, log);
        this.log = log;
        this.env = env;
    }

    public static SandboxHost fromEnvironment(CommandLog log) {
        Map<String, String> env = System.getenv();
        return new SandboxHost(SandboxSettings.fromEnvironment(env), env, log);
    }

    public synchronized SandboxInstance start(Progress progress) throws SandboxException {
        instance = sandbox.start(progress);
        openPool();
        notifyAll();
        return instance;
    }

    /** The running instance, once {@link #start} has finished; empty before. */
    public synchronized Optional<SandboxInstance> instance() {
        return Optional.ofNullable(instance);
    }

    /** Waits until the sandbox has started (by whoever starts it), at most {@code timeout}. */
    public synchronized SandboxInstance awaitStarted(Duration timeout) throws InterruptedException, SandboxException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (instance == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SandboxException("The sandbox did not start within " + timeout.toSeconds() + " s");
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return instance;
    }

    public synchronized SandboxInstance reset(Progress progress) throws SandboxException {
        closePool();
        instance = sandbox.reset(progress);
        openPool();
        return instance;
    }

    /** The overview; an unstarted sandbox is reported unreachable with the reason. */
    public HostStatus status() {
        SandboxInstance current;
        synchronized (this) {
            current = instance;
        }
        if (current == null) {
            return new HostStatus(Sandbox.HOST_NAME, false, "the sandbox is not started", Instant.now(), List.of());
        }
        return new HostOverviewProbe(sandbox.shell(), HostProfile.builtIn(PROFILE), profileValues(current))
                .withWalStops(walStops).probe(List.of(new HostOverviewProbe.Instance(current.name(), current.port())));
    }

    /** The sandbox profile's values: where the sandbox lives, its PostgreSQL version and binaries. */
    public Map<String, String> profileValues(SandboxInstance current) {
        Map<String, String> values = new java.util.HashMap<>();
        values.put("root", current.layout().root().toString());
        values.put("version", current.layout().majorVersion());
        // the server runs in a user namespace when pgdeck is root (PostgreSQL refuses root), as LocalCluster does
        values.put("userNs", dev.pgdeck.remote.pg.CurrentUser.isRoot() ? "-U" : "--");
        try {
            values.put("pgBin", PgBinaries.locate(env).clientDir(env).toString());
        } catch (PgBinariesNotFoundException e) {
            // the profile's default stays; the SQL part then reports what is missing
        }
        return values;
    }

    /** A plain data source for one of the started sandbox's databases (e.g. {@code analytics}), as its superuser. */
    public synchronized javax.sql.DataSource database(String name) {
        if (instance == null) {
            throw new IllegalStateException("the sandbox is not started yet");
        }
        return dev.pgdeck.remote.pg.JdbcDataSource.of("jdbc:postgresql://127.0.0.1:" + instance.port() + "/" + name
                + "?user=postgres", "pgdeck", null);
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    /** Stops the sandbox server (if this process started it) and releases connections. */
    @Override
    public synchronized void close() throws SandboxException {
        closePool();
        sandbox.stop();
    }

    private void openPool() {
        closePool();
        pool = InstancePool.open("sandbox-main", "127.0.0.1", instance.port(), "postgres", "postgres", true);
    }

    private void closePool() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
