package dev.pgdeck.remote.host;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import java.time.Duration;

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

    @Override
    default void close() {}
}
