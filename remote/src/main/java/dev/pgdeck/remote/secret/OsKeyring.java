package dev.pgdeck.remote.secret;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The desktop's keyring (the freedesktop Secret Service: GNOME Keyring, KWallet, KeePassXC), through libsecret's own
 * command-line client {@code secret-tool}. Items are found by attributes, e.g. {service: pgdeck-posthog, project: 42}.
 * The secret travels through the child's stdin and stdout only, never its arguments (which other users can read in
 * /proc) and never a message.
 */
public final class OsKeyring {
    private static final long TIMEOUT_SECONDS = 20;

    private final Map<String, String> environment;

    /** {@code environment}: variables set for secret-tool on top of this process's, e.g. a test's D-Bus address. */
    public OsKeyring(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static OsKeyring system() {
        return new OsKeyring(Map.of());
    }

    /** The secret stored under exactly these attributes; empty when there is none. */
    public Optional<String> lookup(Map<String, String> attributes) throws SecretException {
        Result r = run(command("lookup", null, attributes), null);
        if (r.exit == 0) {
            return r.stdout.isEmpty() ? Optional.empty() : Optional.of(r.stdout);
        }
        if (r.exit == 1 && r.stderr.isBlank()) {
            return Optional.empty(); // secret-tool's answer for "no such item"
        }
        throw failure("reading from", r);
    }

    /** Stores (or replaces) the secret under these attributes, labelled {@code label} in the keyring's UI. */
    public void store(String label, Map<String, String> attributes, String secret) throws SecretException {
        Result r = run(command("store", label, attributes), secret);
        if (r.exit != 0) {
            throw failure("saving to", r);
        }
    }

    /** Removes the item stored under these attributes, if any. */
    public void clear(Map<String, String> attributes) throws SecretException {
        Result r = run(command("clear", null, attributes), null);
        if (r.exit != 0 && !(r.exit == 1 && r.stderr.isBlank())) {
            throw failure("removing from", r);
        }
    }

    private static List<String> command(String verb, String label, Map<String, String> attributes) {
        if (attributes.isEmpty()) {
            throw new IllegalArgumentException("a keyring item needs at least one attribute");
        }
        List<String> argv = new ArrayList<>(List.of("secret-tool", verb));
        if (label != null) {
            argv.add("--label=" + label);
        }
        new LinkedHashMap<>(attributes).forEach((k, v) -> {
            argv.add(k);
            argv.add(v);
        });
        return argv;
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private Result run(List<String> argv, String stdin) throws SecretException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(environment);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new SecretException("the OS keyring cannot be reached: secret-tool is not installed (Debian and"
                    + " Ubuntu: apt install libsecret-tools; it talks to GNOME Keyring, KWallet or KeePassXC)", e);
        }
        try {
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SecretException("the OS keyring did not answer within " + TIMEOUT_SECONDS
                        + " s (is it locked, waiting for its password?)");
            }
            return new Result(p.exitValue(), out.join(), err.join().strip());
        } catch (IOException e) {
            p.destroyForcibly();
            throw new SecretException("talking to the OS keyring failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SecretException("interrupted while waiting for the OS keyring", e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, task -> { // its own thread: a blocking read must not wait for a busy common pool
            Thread t = new Thread(task, "secret-tool-output");
            t.setDaemon(true);
            t.start();
        });
    }

    private static SecretException failure(String doing, Result r) {
        String why = r.stderr.isEmpty() ? "secret-tool exited with status " + r.exit : r.stderr;
        if (why.contains("org.freedesktop.secrets") || why.contains("Cannot autolaunch D-Bus")
                || why.contains("DBUS_SESSION_BUS_ADDRESS")) {
            why += " (no Secret Service is running in this session: start GNOME Keyring, KWallet or KeePassXC, or"
                    + " use a key file instead)";
        }
        return new SecretException(doing.substring(0, 1).toUpperCase() + doing.substring(1) + " the OS keyring failed: "
                + why);
    }
}
