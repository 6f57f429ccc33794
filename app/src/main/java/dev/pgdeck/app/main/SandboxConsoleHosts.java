package dev.pgdeck.app.main;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.sandbox.Progress;
import dev.pgdeck.remote.sandbox.Sandbox;
import dev.pgdeck.remote.sandbox.SandboxHost;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** With no host configured, the console shows the built-in sandbox. */
public final class SandboxConsoleHosts implements ConsoleHosts {
    private final SandboxHost sandbox;

    public SandboxConsoleHosts(SandboxHost sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public void start(Progress progress) throws Exception {
        sandbox.start(progress);
    }

    @Override
    public List<HostStatus> refresh() {
        return List.of(sandbox.status());
    }

    /** The sandbox's actions run locally through the same profile commands as on a real host. */
    @Override
    public Optional<HostActions> actions(String hostName) {
        if (!Sandbox.HOST_NAME.equals(hostName)) {
            return Optional.empty();
        }
        return sandbox.instance().map(current -> new HostActions(sandbox.sandbox().shell(),
                HostProfile.builtIn(SandboxHost.PROFILE), sandbox.profileValues(current), Clock.systemUTC()));
    }

    @Override
    public void close() throws Exception {
        sandbox.close();
    }
}
