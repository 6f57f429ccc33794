package dev.pgdeck.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A command to run on a host, kept as separate words so that each is quoted exactly once when the shell line is
 * built. {@link #then} and {@link #pipeTo} combine commands with shell operators without ever splicing raw text.
 */
public final class HostCommand {
    private final String shellLine;

    private HostCommand(String shellLine) {
        this.shellLine = shellLine;
    }

    public static HostCommand of(String program, String... args) {
        List<String> words = new ArrayList<>();
        words.add(Objects.requireNonNull(program));
        words.addAll(List.of(args));
        return of(words);
    }

    public static HostCommand of(List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least a program name");
        }
        return new HostCommand(ShellQuote.join(words));
    }

    /** Runs {@code next} only when this command succeeds ({@code &&}). */
    public HostCommand then(HostCommand next) {
        return new HostCommand(shellLine + " && " + next.shellLine);
    }

    public HostCommand pipeTo(HostCommand next) {
        return new HostCommand(shellLine + " | " + next.shellLine);
    }

    /** Sends standard error to standard output, so that one stream carries the whole story. */
    public HostCommand mergingStderr() {
        return new HostCommand("{ " + shellLine + "; } 2>&1");
    }

    /** Prefixes the command with {@code prefix} words, e.g. {@code unshare -U} or {@code sudo -u postgres}. */
    public HostCommand prefixedBy(List<String> prefix) {
        if (prefix.isEmpty()) {
            return this;
        }
        return new HostCommand(ShellQuote.join(prefix) + " " + shellLine);
    }

    /** The exact line given to {@code sh -c}; this is also what the command log shows. */
    public String shellLine() {
        return shellLine;
    }

    @Override
    public String toString() {
        return shellLine;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostCommand other && other.shellLine.equals(shellLine);
    }

    @Override
    public int hashCode() {
        return shellLine.hashCode();
    }
}
