package dev.pgdeck.app.main;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.remote.sandbox.Progress;
import dev.pgdeck.remote.sandbox.SandboxHost;
import java.util.List;

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

    @Override
    public void close() throws Exception {
        sandbox.close();
    }
}
