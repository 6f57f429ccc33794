package dev.pgdeck.remote.host;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs commands on a host. The sandbox runs them locally, real hosts over SSH; every feature talks to this interface
 * only, so it works against either unchanged.
 */
public interface HostShell extends AutoCloseable {
    /** The host's name, as shown in the command log. */
    String hostName();

    /**
     * Runs {@code command} through {@code sh -c} and waits for it, at most {@code timeout}. A non-zero exit status is
     * a result, not an exception; failing to run the command at all (or running past the timeout) throws.
     */
    CommandResult run(HostCommand command, Duration timeout) throws HostCommandException;

    /**
     * As {@link #run(HostCommand, Duration)}, and hands every line of standard output and standard error to
     * {@code outputLines} as it arrives (on a worker thread, one line at a time, in order per stream). The result still
     * holds the whole output. This default hands the lines over only once the command has ended; the local and SSH
     * shells stream them.
     */
    default CommandResult run(HostCommand command, Duration timeout, Consumer<String> outputLines)
            throws HostCommandException {
        CommandResult result = run(command, timeout);
        result.stdout().lines().forEach(outputLines);
        result.stderr().lines().forEach(outputLines);
        return result;
    }

    @Override
    default void close() {}
}
