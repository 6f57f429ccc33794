package dev.pgdeck.remote.host;

import dev.pgdeck.model.CommandLogEntry.Kind;
import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.ArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The host-command interface for the local machine (the sandbox host): {@code /bin/sh -c <line>}. */
public final class LocalShell implements HostShell {
    /** Output pipes are drained on their own threads so that a chatty stderr can never block the process. */
    /** How long a stopped command may take to clean up after TERM before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(2);
    private static final ExecutorService DRAINERS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "local-shell-drain");
        thread.setDaemon(true);
        return thread;
    });

    private final String hostName;
    private final CommandLog log;

    public LocalShell(String hostName, CommandLog log) {
        this.hostName = hostName;
        this.log = log;
    }

    @Override
    public String hostName() {
        return hostName;
    }

    @Override
    public CommandResult run(HostCommand command, Duration timeout) throws HostCommandException {
        return run(command, timeout, null);
    }

    @Override
    public CommandResult run(HostCommand command, Duration timeout, Consumer<String> outputLines)
            throws HostCommandException {
        Consumer<String> lines = outputLines == null ? null : OutputLines.serialized(outputLines);
        Instant started = Instant.now();
        Process process;
        try {
            process = new ProcessBuilder("/bin/sh", "-c", command.shellLine())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            log.record(Kind.COMMAND, hostName, command.shellLine(), started, "could not start: " + e.getMessage(), true);
            throw new HostCommandException("Could not run `" + command + "` on " + hostName + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> stdout = OutputLines.drain(process.getInputStream(), lines, DRAINERS);
        CompletableFuture<String> stderr = OutputLines.drain(process.getErrorStream(), lines, DRAINERS);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process);
                log.record(Kind.COMMAND, hostName, command.shellLine(), started, "timed out after " + timeout, true);
                throw new HostCommandException("`" + command + "` on " + hostName + " ran past its timeout of "
                        + timeout.toSeconds() + " s and was stopped");
            }
            CommandResult result = new CommandResult(command, process.exitValue(), stdout.join(), stderr.join(),
                    Duration.between(started, Instant.now()));
            log.record(Kind.COMMAND, hostName, command.shellLine(), started, "exit " + result.exitCode(),
                    !result.succeeded());
            return result;
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            log.record(Kind.COMMAND, hostName, command.shellLine(), started, "cancelled", true);
            throw new HostCommandException("`" + command + "` on " + hostName + " was cancelled", e);
        }
    }

    /**
     * TERM first, to the command and everything it started, so a command's own cleanup (a trap removing its
     * temporary copy) runs; the whole tree is waited for (a nested shell's trap may outlive the outer shell), and
     * whatever is left after {@link #STOP_GRACE} is killed.
     */
    private static void stop(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        tree.add(0, process.toHandle());
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                break; // out of time: what is left is killed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
