package dev.pgdeck.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A command to run on a host, kept as separate words so that each is quoted exactly once when the shell line is
 * built. {@link #then} and {@link #pipeTo} combine commands with shell operators without ever splicing raw text.
 */
public final class HostCommand {
    /** How much of a command a message quotes. */
    public static final int BRIEF = 160;

    private final String shellLine;
    /** The words of a simple command (one program and its arguments); null for combined ones. */
    private final List<String> words;

    private HostCommand(String shellLine) {
        this(shellLine, null);
    }

    private HostCommand(String shellLine, List<String> words) {
        this.shellLine = shellLine;
        this.words = words;
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
        return new HostCommand(ShellQuote.join(words), List.copyOf(words));
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
        List<String> all = null;
        if (words != null) {
            all = new ArrayList<>(prefix);
            all.addAll(words);
        }
        return new HostCommand(ShellQuote.join(prefix) + " " + shellLine, all == null ? null : List.copyOf(all));
    }

    /**
     * The words of a simple command, as given (before quoting), so the program it runs can be named; empty for a
     * command combined with shell operators ({@link #then}, {@link #pipeTo}, {@link #mergingStderr}).
     */
    public java.util.Optional<List<String>> words() {
        return java.util.Optional.ofNullable(words);
    }

    /** The exact line given to {@code sh -c}; this is also what the command log shows. */
    public String shellLine() {
        return shellLine;
    }

    /**
     * The command as messages quote it: its first line, at most {@value #BRIEF} characters, then "…". A batch script or
     * a psql query is kilobytes; a message stays one readable line and the command log keeps the whole.
     */
    public String brief() {
        int newline = shellLine.indexOf('\n');
        String first = newline < 0 ? shellLine : shellLine.substring(0, newline);
        if (first.length() > BRIEF) {
            first = first.substring(0, BRIEF);
        }
        return first.length() < shellLine.length() ? first + "…" : first;
    }

    /** {@link #brief()}: what a message shows; {@link #shellLine()} is the exact command. */
    @Override
    public String toString() {
        return brief();
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
