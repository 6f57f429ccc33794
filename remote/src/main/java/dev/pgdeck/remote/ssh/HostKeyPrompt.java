package dev.pgdeck.remote.ssh;

/**
 * Asks the user whether to trust a host key seen for the first time. Called on the thread that runs the command,
 * never on an SSH transport thread, so it may block as long as the user takes.
 */
@FunctionalInterface
public interface HostKeyPrompt {
    /** Refuses every unknown host without asking anyone: for unattended use (the command line). */
    HostKeyPrompt REFUSE = new HostKeyPrompt() {
        @Override
        public boolean trust(UnknownHostKey key) {
            return false;
        }

        @Override
        public boolean asksSomeone() {
            return false;
        }
    };

    boolean trust(UnknownHostKey key);

    /** Whether a refusal is a person's answer; false when nobody could be asked (the refusal message says so). */
    default boolean asksSomeone() {
        return true;
    }
}
