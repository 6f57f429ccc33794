package dev.pgdeck.app.charts;

import dev.pgdeck.remote.charts.ChartQueries;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.sandbox.Sandbox;
import dev.pgdeck.remote.sandbox.SandboxHost;
import dev.pgdeck.remote.sandbox.SandboxInstance;
import java.time.Duration;

/** The sandbox's warehouse, read as {@code analytics_readonly}, once the sandbox is up (it waits for its start). */
public final class SandboxAnalyticsSource implements AnalyticsSource, AutoCloseable {
    private static final Duration START_WAIT = Duration.ofMinutes(10);

    private final SandboxHost sandbox;
    private final CommandLog log;
    private ChartQueries queries;

    public SandboxAnalyticsSource(SandboxHost sandbox, CommandLog log) {
        this.sandbox = sandbox;
        this.log = log;
    }

    @Override
    public synchronized ChartQueries queries() throws Exception {
        if (queries == null) {
            SandboxInstance instance = sandbox.awaitStarted(START_WAIT);
            queries = ChartQueries.open("127.0.0.1", instance.port(), null, log,
                    Sandbox.HOST_NAME + "/" + instance.name() + "/analytics");
        }
        return queries;
    }

    @Override
    public synchronized void close() throws Exception {
        if (queries != null) {
            queries.close();
            queries = null;
        }
    }
}
