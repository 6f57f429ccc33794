package dev.pgdeck.model;

import java.time.Duration;

/** What a finished host command left behind. */
public record CommandResult(HostCommand command, int exitCode, String stdout, String stderr, Duration elapsed) {
    /** How much of what a command said a message quotes. */
    private static final int SAID = 300;

    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * One line for error messages: the command (its first line, {@link HostCommand#brief()}), its exit status and the
     * first line of what it said.
     */
    public String describeFailure() {
        String said = !stderr.isBlank() ? stderr.strip() : stdout.strip();
        int newline = said.indexOf('\n');
        String firstLine = newline < 0 ? said : said.substring(0, newline);
        if (firstLine.length() > SAID) {
            firstLine = firstLine.substring(0, SAID) + "…";
        }
        return "`" + command.brief() + "` exited with status " + exitCode
                + (firstLine.isEmpty() ? "" : ": " + firstLine);
    }
}
