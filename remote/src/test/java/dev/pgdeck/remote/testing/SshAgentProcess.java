package dev.pgdeck.remote.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code ssh-agent} in the foreground ({@code -D}) on a socket of the test's own, so that no test
 * depends on the agent (if any) of whoever runs the build; keys go in with the real {@code ssh-add}, and are made by
 * the real {@code ssh-keygen}. {@link #close()} kills the agent.
 */
public final class SshAgentProcess implements AutoCloseable {
    private final Process process;
    private final Path socket;

    private SshAgentProcess(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Starts an agent listening on {@code dir/agent.sock}; returns once the socket accepts connections. */
    public static SshAgentProcess start(Path dir) throws IOException {
        Path socket = dir.resolve("agent.sock");
        ProcessBuilder builder = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true);
        // keys added with confirmation (ssh-add -c) are asked about through SSH_ASKPASS: here the answer is always no
        builder.environment().put("SSH_ASKPASS", "/bin/false");
        Process process = builder.start();
        // ssh-agent prints "SSH_AUTH_SOCK=...; export SSH_AUTH_SOCK;" after it has bound and listens on the socket.
        BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (first == null || !first.startsWith("SSH_AUTH_SOCK=") || !Files.exists(socket)) {
            process.destroyForcibly();
            throw new IOException("ssh-agent did not start: " + first);
        }
        return new SshAgentProcess(process, socket);
    }

    public Path socket() {
        return socket;
    }

    /** An environment holding only this agent's {@code SSH_AUTH_SOCK}. */
    public Map<String, String> env() {
        return Map.of("SSH_AUTH_SOCK", socket.toString());
    }

    /** {@code ssh-add key}: the agent holds the key from then on. */
    public void add(Path key) throws IOException, InterruptedException {
        run(List.of("ssh-add", key.toString()), Map.of("SSH_AUTH_SOCK", socket.toString()));
    }

    /** {@code ssh-add -c key}: the agent asks its user before each signature (and here the user always says no). */
    public void addWithConfirmation(Path key) throws IOException, InterruptedException {
        run(List.of("ssh-add", "-c", key.toString()), Map.of("SSH_AUTH_SOCK", socket.toString()));
    }

    /** {@code ssh-keygen -t type} without passphrase into {@code file} (and {@code file.pub}). */
    public static Path generateKey(Path file, String type, String comment) throws IOException, InterruptedException {
        run(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", comment, "-f", file.toString()), Map.of());
        return file;
    }

    /** The one line of {@code key}'s {@code .pub} file, as it goes into authorized_keys. */
    public static String publicKeyLine(Path key) throws IOException {
        return Files.readString(Path.of(key + ".pub")).strip();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static void run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("SSH_AUTH_SOCK");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
