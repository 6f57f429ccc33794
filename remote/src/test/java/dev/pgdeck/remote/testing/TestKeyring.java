package dev.pgdeck.remote.testing;

import dev.pgdeck.remote.secret.OsKeyring;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Secret Service for a test: a private D-Bus session bus and GNOME Keyring on it, with a login keyring
 * unlocked by a throwaway password, all under a temporary HOME. CI installs dbus, gnome-keyring and libsecret-tools;
 * without them this fails with a message saying so (the keyring tests are not skipped).
 */
public final class TestKeyring implements AutoCloseable {
    private final Path home;
    private final Process bus;
    private final Map<String, String> env;

    public TestKeyring(Path dir) throws IOException, InterruptedException {
        for (String tool : List.of("dbus-daemon", "gnome-keyring-daemon", "secret-tool")) {
            if (!onPath(tool)) {
                throw new IllegalStateException(tool + " is missing: apt install dbus-daemon gnome-keyring"
                        + " libsecret-tools (.ci/run installs them)");
            }
        }
        home = Files.createDirectories(dir.resolve("home"));
        Path runtime = Files.createDirectories(dir.resolve("run"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ProcessBuilder busBuilder = new ProcessBuilder("dbus-daemon", "--session", "--nofork", "--print-address=1");
        busBuilder.redirectError(ProcessBuilder.Redirect.DISCARD);
        bus = busBuilder.start();
        String address = new BufferedReader(new InputStreamReader(bus.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (address == null) {
            throw new IllegalStateException("dbus-daemon did not print its address");
        }
        env = Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", runtime.toString(),
                "DBUS_SESSION_BUS_ADDRESS", address.strip());
        run(List.of("gnome-keyring-daemon", "--daemonize", "--login"), "throwaway-login-password");
        run(List.of("gnome-keyring-daemon", "--daemonize", "--start", "--components=secrets"), null);
    }

    /** The keyring as pgdeck reaches it, pointed at this bus. */
    public OsKeyring keyring() {
        return new OsKeyring(env);
    }

    public Map<String, String> environment() {
        return env;
    }

    private void run(List<String> argv, String stdin) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Stops this test's GNOME Keyring (found by its private runtime directory) and its bus. */
    @Override
    public void close() {
        byte[] mine = ("XDG_RUNTIME_DIR=" + env.get("XDG_RUNTIME_DIR") + "\0").getBytes(StandardCharsets.UTF_8);
        ProcessHandle.allProcesses()
                .filter(h -> h.info().command().map(c -> c.endsWith("gnome-keyring-daemon")).orElse(false))
                .filter(h -> environContains(h.pid(), mine))
                .forEach(ProcessHandle::destroy);
        bus.destroy();
    }

    private static boolean environContains(long pid, byte[] entry) {
        try {
            byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            String text = new String(environ, StandardCharsets.UTF_8);
            return text.contains(new String(entry, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return false;
        }
    }
}
