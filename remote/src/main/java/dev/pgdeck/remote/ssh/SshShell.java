package dev.pgdeck.remote.ssh;

import dev.pgdeck.model.CommandLogEntry.Kind;
import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.host.OutputLines;
import dev.pgdeck.remote.ssh.HostKeyRejectedException.Reason;
import dev.pgdeck.remote.ssh.KnownHostsVerifier.Rejection;
import dev.pgdeck.remote.ssh.agent.AgentLogin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

/**
 * The host-command interface over SSH: one connection per host, one session channel per command. Thread-safe;
 * commands may run concurrently on the shared connection. A dropped connection fails the command that was running
 * (it is never re-run, commands need not be idempotent); the next command connects afresh.
 */
public final class SshShell implements HostShell {
    /** @param read how long to wait for the server to answer a protocol step (key exchange, login, channel open) */
    public record Timeouts(Duration connect, Duration read, Duration keepAlive) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(15));
    }

    /** A command that started but did not finish normally; {@code outcome} is the short text for the command log. */
    private static final class Stopped extends HostCommandException {
        final String outcome;

        Stopped(String outcome, String message, Throwable cause) {
            super(message, cause);
            this.outcome = outcome;
        }
    }

    /** How long a stopped command may take to clean up after TERM before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    private static final ExecutorService DRAINERS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "ssh-shell-drain");
        thread.setDaemon(true);
        return thread;
    });

    private final SshTarget target;
    private final CommandLog log;
    private final HostKeyPrompt prompt;
    private final PassphraseSource passphrases;
    private final Timeouts timeouts;
    private final Map<String, String> env; // where SSH_AUTH_SOCK is looked up when the target has no key file
    /**
     * Built at the first connection, not with the shell: setting up the algorithm lists (and BouncyCastle) is the
     * slow part of creating a client, and the console should start without paying for it.
     */
    private DefaultConfig config; // guarded by this
    private SSHClient client; // guarded by this
    private KeyProvider key; // guarded by this
    /** The jump host's own shell (its connection carries this one), or null for a direct connection. */
    private final SshShell jump;

    /** @param env the environment whose {@code SSH_AUTH_SOCK} leads to the ssh-agent when the target has no key file */
    public SshShell(SshTarget target, CommandLog log, HostKeyPrompt prompt, PassphraseSource passphrases,
                    Timeouts timeouts, Map<String, String> env) {
        this.target = target;
        this.log = log;
        this.prompt = prompt;
        this.passphrases = passphrases;
        this.timeouts = timeouts;
        this.env = Map.copyOf(env);
        this.jump = target.jump() == null ? null : new SshShell(target.jump(), log, prompt, passphrases, timeouts, env);
    }

    public SshShell(SshTarget target, CommandLog log, HostKeyPrompt prompt, PassphraseSource passphrases,
                    Timeouts timeouts) {
        this(target, log, prompt, passphrases, timeouts, System.getenv());
    }

    public SshShell(SshTarget target, CommandLog log, HostKeyPrompt prompt, PassphraseSource passphrases) {
        this(target, log, prompt, passphrases, Timeouts.DEFAULT);
    }

    @Override
    public String hostName() {
        return target.name();
    }

    @Override
    public CommandResult run(HostCommand command, Duration timeout) throws HostCommandException {
        return run(command, timeout, null);
    }

    /** Streams stdout and stderr line by line as the channel delivers them (see {@link HostShell}). */
    @Override
    public CommandResult run(HostCommand command, Duration timeout, Consumer<String> outputLines)
            throws HostCommandException {
        Consumer<String> lines = outputLines == null ? null : OutputLines.serialized(outputLines);
        Instant started = Instant.now();
        String line = command.shellLine();
        Session session;
        try {
            session = openSession(command);
        } catch (HostCommandException e) {
            log.record(Kind.COMMAND, hostName(), line, started, "not run: " + e.getMessage(), true);
            throw e;
        }
        try {
            CommandResult result = exec(session, command, timeout, started, lines);
            log.record(Kind.COMMAND, hostName(), line, started, "exit " + result.exitCode(), !result.succeeded());
            return result;
        } catch (HostCommandException e) {
            String outcome = e instanceof Stopped stopped ? stopped.outcome : e.getMessage();
            log.record(Kind.COMMAND, hostName(), line, started, outcome, true);
            throw e;
        } finally {
            closeQuietly(session);
        }
    }

    private CommandResult exec(Session session, HostCommand command, Duration timeout, Instant started,
                               Consumer<String> lines) throws HostCommandException {
        try {
            Session.Command running = session.exec(command.shellLine());
            running.getOutputStream().close(); // no input: EOF at once, like </dev/null, so nothing waits on stdin
            CompletableFuture<String> stdout = lines == null ? drain(running.getInputStream())
                    : OutputLines.drain(running.getInputStream(), lines, DRAINERS);
            CompletableFuture<String> stderr = lines == null ? drain(running.getErrorStream())
                    : OutputLines.drain(running.getErrorStream(), lines, DRAINERS);
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                CompletableFuture.allOf(stdout, stderr).get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                // the exit status comes just before the channel closes, right after end of output
                running.join(Math.max(remainingMillis(deadline), 1_000), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                stop(running);
                throw new Stopped("timed out after " + timeout, "`" + command + "` on " + hostName()
                        + " ran past its timeout of " + timeout.toSeconds() + " s and was stopped", null);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
            } catch (InterruptedException e) {
                stop(running);
                Thread.currentThread().interrupt();
                throw new Stopped("cancelled", "`" + command + "` on " + hostName() + " was cancelled", e);
            }
            Integer status = running.getExitStatus();
            if (status == null) {
                Signal signal = running.getExitSignal();
                if (signal == null) {
                    throw new IOException("the channel closed without an exit status");
                }
                throw new Stopped("killed by signal " + signal, "`" + command + "` on " + hostName()
                        + " was killed by signal " + signal, null);
            }
            return new CommandResult(command, status, stdout.join(), stderr.join(),
                    Duration.between(started, Instant.now()));
        } catch (IOException e) {
            throw failure(command, e);
        }
    }

    /**
     * Opens a channel for one command. A connection can die while idle without sshj noticing yet; the command has
     * not started then, so one fresh connection is tried before giving up.
     */
    private Session openSession(HostCommand command) throws HostCommandException {
        SSHClient connection = connection();
        try {
            return connection.startSession();
        } catch (IOException | IllegalStateException first) {
            // sshj says "Not connected" with an IllegalStateException when the connection died since it was checked
            if (connection.isConnected()) {
                throw failure(command, asIo(first));
            }
            try {
                return connection().startSession();
            } catch (IOException | IllegalStateException e) {
                throw failure(command, asIo(e));
            }
        }
    }

    private static IOException asIo(Exception e) {
        return e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        disconnect();
        if (jump != null) {
            jump.close();
        }
    }

    /** The live connection, connecting first when there is none; for {@link SshPortForward}'s channels. */
    net.schmizz.sshj.connection.Connection sshConnection() throws HostCommandException {
        return connection().getConnection();
    }

    /** The live connection, connecting first if there is none (never connected, or dropped since). */
    private synchronized SSHClient connection() throws HostCommandException {
        if (client != null && client.isConnected() && client.isAuthenticated()) {
            return client;
        }
        disconnect();
        client = connect();
        return client;
    }

    /** What {@link #checkHostKey} found: the host's key, and whether it was trusted just now (else before). */
    public record HostKeyCheck(UnknownHostKey key, boolean newlyTrusted) {}

    /**
     * Connects only as far as the host key, without logging in: a key known_hosts trusts is reported, an unknown one
     * goes to the prompt (and is saved when accepted), a changed or revoked one is refused. For headless onboarding
     * ({@code pgdeck hosts trust}).
     */
    public synchronized HostKeyCheck checkHostKey() throws HostCommandException {
        Trusted trusted = trustedHandshake();
        quietlyDisconnect(trusted.client());
        return new HostKeyCheck(trusted.key(), trusted.newlyTrusted());
    }

    private record Trusted(SSHClient client, UnknownHostKey key, boolean newlyTrusted) {}

    private synchronized SSHClient connect() throws HostCommandException {
        SSHClient fresh = trustedHandshake().client();
        try {
            if (target.keyFile() == null) {
                AgentLogin.login(fresh, target.user(), hostName(), env, timeouts.read());
            } else {
                fresh.authPublickey(target.user(), unlockedKey(fresh));
            }
            return fresh;
        } catch (HostCommandException e) {
            quietlyDisconnect(fresh);
            throw e;
        } catch (IOException e) {
            quietlyDisconnect(fresh);
            if (LimitedSshClient.timedOut(e)) {
                throw new HostCommandException(hostName() + " did not answer the login as " + target.user()
                        + " within " + LimitedSshClient.seconds(timeouts.read()), e);
            }
            throw new HostCommandException(hostName() + " refused the login as " + target.user() + " with key "
                    + target.keyFile() + ": " + describe(e), e);
        }
    }

    /** Connects with a host key known_hosts trusts; an unknown key is put to the prompt and saved when accepted. */
    private synchronized Trusted trustedHandshake() throws HostCommandException {
        if (config == null) {
            config = new DefaultConfig();
            config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
            // Host certificates are not checked (known_hosts' @cert-authority lines are explained, not used): ask
            // servers for their plain keys, which the known_hosts lines are about.
            config.setKeyAlgorithms(config.getKeyAlgorithms().stream()
                    .filter(algorithm -> !algorithm.getName().contains("-cert-")).toList());
        }
        KnownHostsVerifier verifier;
        try {
            verifier = KnownHostsVerifier.load(target.knownHostsFile(), target.userKnownHostsFiles());
        } catch (IOException e) {
            throw new HostCommandException("Could not read known_hosts for " + hostName() + ": " + e.getMessage(), e);
        }
        SSHClient fresh = handshake(verifier);
        if (fresh != null) {
            return new Trusted(fresh, verifier.accepted(), false);
        }
        Rejection unknown = verifier.rejection();
        if (!prompt.trust(unknown.unknown())) {
            throw new HostKeyRejectedException(Reason.UNKNOWN_DECLINED, "Refused to connect to " + hostName()
                    + ": " + unknown.message() + (prompt.asksSomeone() ? " (you declined it)"
                    : ": run `pgdeck hosts trust " + hostName() + "` or accept it in the console"));
        }
        try {
            verifier.remember(unknown);
        } catch (IOException e) {
            throw new HostCommandException("Could not save the host key of " + hostName() + " to "
                    + target.knownHostsFile() + ": " + e.getMessage(), e);
        }
        fresh = handshake(verifier);
        if (fresh == null) { // a different key on the second connection: do not ask twice
            throw new HostKeyRejectedException(Reason.CHANGED, "Refused to connect to " + hostName() + ": "
                    + verifier.rejection().message());
        }
        return new Trusted(fresh, unknown.unknown(), true);
    }

    /**
     * Connects and checks the host key. Returns {@code null} for an unknown key the user may still accept; throws for
     * every other failure.
     */
    private synchronized SSHClient handshake(KnownHostsVerifier verifier) throws HostCommandException {
        LimitedSshClient fresh = new LimitedSshClient(config);
        // the key exchange, the login and every channel request wait at most this long for the server
        fresh.getTransport().setTimeoutMs(millis(timeouts.read()));
        fresh.getConnection().setTimeoutMs(millis(timeouts.read()));
        fresh.getConnection().getKeepAlive().setKeepAliveInterval((int) timeouts.keepAlive().toSeconds());
        fresh.addHostKeyVerifier(verifier);
        String where = hostName() + " (" + target.address() + " port " + target.port()
                + (jump == null ? "" : ", through " + jump.hostName()) + ")";
        try {
            if (jump == null) {
                fresh.connect(target.address(), target.port(), timeouts.connect(), where);
            } else {
                fresh.connectVia(tunnel(where), timeouts.connect(), where);
            }
            return fresh;
        } catch (LimitedSshClient.NoBannerException e) {
            quietlyDisconnect(fresh);
            throw new HostCommandException(e.getMessage(), e);
        } catch (IOException e) {
            quietlyDisconnect(fresh);
            Rejection rejection = verifier.rejection();
            if (e instanceof TransportException && rejection != null) {
                if (rejection.unknown() != null) {
                    return null;
                }
                throw new HostKeyRejectedException(rejection.reason(), "Refused to connect to " + hostName() + ": "
                        + rejection.message());
            }
            if (fresh.identified() && LimitedSshClient.timedOut(e)) {
                throw new HostCommandException("the key exchange with " + where + " did not finish within "
                        + LimitedSshClient.seconds(timeouts.read()), e);
            }
            throw new HostCommandException("Could not connect to " + where + ": " + describe(e), e);
        }
    }

    /** A direct-tcpip channel from the jump host to the target, on the jump host's connection (made if needed). */
    private DirectConnection tunnel(String where) throws HostCommandException {
        SSHClient through = jump.connection();
        try {
            return through.newDirectConnection(target.address(), target.port());
        } catch (IOException e) {
            jump.forgetIfDead();
            throw new HostCommandException("Could not reach " + where + ": " + jump.hostName() + " did not open a"
                    + " channel to it: " + describe(e), e);
        }
    }

    /**
     * The private key, decrypted here rather than during login: sshj would report a wrong passphrase only as
     * "exhausted available authentication methods".
     */
    private synchronized KeyProvider unlockedKey(SSHClient fresh) throws HostCommandException {
        if (key == null) {
            KeyProvider loaded;
            boolean[] noPassphrase = {false};
            try {
                loaded = fresh.loadKeys(target.keyFile().toString(), new PasswordFinder() {
                    @Override
                    public char[] reqPassword(Resource<?> resource) {
                        char[] passphrase = passphrases.passphraseFor(target.keyFile());
                        if (passphrase == null) { // sshj would fail on it with a NullPointerException
                            noPassphrase[0] = true;
                            throw new IllegalStateException("no passphrase");
                        }
                        return passphrase;
                    }

                    @Override
                    public boolean shouldRetry(Resource<?> resource) {
                        return false;
                    }
                });
                loaded.getPrivate();
            } catch (IOException | RuntimeException e) {
                if (noPassphrase[0]) {
                    throw new HostCommandException("The private key " + target.keyFile() + " for " + hostName()
                            + " is encrypted and no passphrase was given: add it to ssh-agent (ssh-add) and leave"
                            + " keyFile out of the host, or connect from the console, which asks for it", e);
                }
                throw new HostCommandException("Could not read the private key " + target.keyFile() + " for "
                        + hostName() + " (wrong passphrase, or not a key?): " + describe(e), e);
            }
            key = loaded; // kept so that an encrypted key's passphrase is asked once, not at every reconnection
        }
        return key;
    }

    /** Drops a connection that died (its next use reconnects). */
    private synchronized void forgetIfDead() {
        if (client != null && !client.isConnected()) {
            disconnect();
        }
    }

    /** Turns an I/O failure during a command into a message naming the host; forgets a dead connection. */
    private HostCommandException failure(HostCommand command, IOException e) {
        boolean lost;
        synchronized (this) {
            // The transport may fail before the client notices it is disconnected: a broken transport counts as lost.
            lost = client == null || !client.isConnected()
                    || e instanceof net.schmizz.sshj.transport.TransportException
                    || e instanceof net.schmizz.sshj.connection.ConnectionException;
            if (lost) {
                disconnect();
            }
        }
        String what = lost ? "Lost the SSH connection to " + hostName() : "SSH failure on " + hostName();
        String why = LimitedSshClient.timedOut(e) ? "no answer within " + LimitedSshClient.seconds(timeouts.read())
                : describe(e);
        return new HostCommandException(what + " while running `" + command + "`: " + why
                + (lost ? " (the next command reconnects)" : ""), e);
    }

    /** Best effort: ask the remote process to die, then close the channel (a closed channel alone may not kill it). */
    /**
     * TERM first (OpenSSH signals the command's whole process group), so a command's own cleanup (a trap removing
     * its temporary copy) runs; KILL when it has not ended within {@link #STOP_GRACE}, then the channel is closed.
     */
    private static void stop(Session.Command running) {
        try {
            running.signal(Signal.TERM);
            running.join(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException ignored) {
            // not ended in time, or the server does not take signals: KILL and close
        }
        try {
            if (running.isOpen()) {
                running.signal(Signal.KILL);
            }
        } catch (IOException | RuntimeException ignored) {
            // the channel is closed next anyway
        }
        try {
            running.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing more to do: the channel is gone either way
        }
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (IOException | RuntimeException ignored) {
            // the command's outcome is already known; a failed close changes nothing
        }
    }

    private void disconnect() {
        if (client != null) {
            quietlyDisconnect(client);
            client = null;
        }
    }

    private static void quietlyDisconnect(SSHClient ssh) {
        try {
            ssh.disconnect();
        } catch (IOException | RuntimeException ignored) {
            // already gone
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (e.getCause() != null && (message == null || message.isBlank())) {
            return describe(e.getCause());
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                stream.transferTo(out);
                return out.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, DRAINERS);
    }
}
