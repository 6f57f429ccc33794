package dev.pgdeck.remote.testing;

import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.sandbox.Progress;
import dev.pgdeck.remote.sandbox.SandboxHost;
import dev.pgdeck.remote.sandbox.SandboxSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/** Settings for sandboxes built by tests: under the build's target directory, small, on a port of the test's. */
public final class TestSandbox {
    public static final int EVENTS = 2_000;

    private TestSandbox() {}

    public static Path root(String name) {
        return Path.of(System.getProperty("java.io.tmpdir")).resolve("sandbox-" + name);
    }

    public static Map<String, String> environment(Path root) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PGDECK_SANDBOX_ROOT", root.toString());
        env.put("PGDECK_SANDBOX_EVENTS", Integer.toString(EVENTS));
        return env;
    }

    /** A started sandbox host; close it to stop its server. */
    public static SandboxHost start(String name, CommandLog log) throws Exception {
        Path root = root(name);
        Map<String, String> env = environment(root);
        SandboxHost host = new SandboxHost(new SandboxSettings(root, EVENTS, OptionalInt.empty()), env, log);
        host.start(Progress.NONE);
        return host;
    }
}
