package dev.pgdeck.app.restore;

import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.restore.RestoreWorkflow;
import dev.pgdeck.remote.sandbox.Sandbox;
import dev.pgdeck.remote.sandbox.SandboxHost;
import dev.pgdeck.remote.sandbox.SandboxInstance;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** With no host configured, the wizard restores the sandbox's one instance (through the same code as a real host). */
public final class SandboxRestoreHosts implements RestoreHosts {
    /** The sandbox is started by the console; building it the first time takes a while. */
    private static final Duration START_WAIT = Duration.ofMinutes(5);

    private final SandboxHost sandbox;

    public SandboxRestoreHosts(SandboxHost sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public List<HostChoice> hosts() throws Exception {
        SandboxInstance started = sandbox.awaitStarted(START_WAIT);
        return List.of(new HostChoice(Sandbox.HOST_NAME,
                List.of(new InstanceChoice(started.name(), started.port())),
                RestoreWorkflow.zfsUnavailable(HostProfile.builtIn(SandboxHost.PROFILE)).orElse("")));
    }

    @Override
    public RestoreConnection open(HostChoice host, InstanceChoice instance) throws Exception {
        SandboxInstance started = sandbox.awaitStarted(START_WAIT);
        HostProfile profile = HostProfile.builtIn(SandboxHost.PROFILE);
        Map<String, String> values = sandbox.profileValues(started);
        var shell = sandbox.sandbox().shell();
        return new RestoreConnection(Sandbox.HOST_NAME, started.name(), started.port(),
                new RestoreWorkflow(shell, profile, values, started.name(), started.port(), Clock.systemUTC()),
                new HostActions(shell, profile, values, Clock.systemUTC()));
    }
}
