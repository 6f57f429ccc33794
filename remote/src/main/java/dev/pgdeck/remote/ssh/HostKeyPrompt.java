package dev.pgdeck.remote.ssh;

/**
 * Asks the user whether to trust a host key seen for the first time. Called on the thread that runs the command,
 * never on an SSH transport thread, so it may block as long as the user takes.
 */
@FunctionalInterface
public interface HostKeyPrompt {
    /** Refuses every unknown host: for unattended use. */
    HostKeyPrompt REFUSE = key -> false;

    boolean trust(UnknownHostKey key);
}
