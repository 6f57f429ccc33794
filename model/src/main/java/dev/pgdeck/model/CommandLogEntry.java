package dev.pgdeck.model;

import java.time.Duration;
import java.time.Instant;

/**
 * One line of the command log: every host command and SQL statement the console ran, and ({@code OUTPUT}) each line
 * an operator's action printed while it ran.
 */
public record CommandLogEntry(Instant startedAt, Kind kind, String host, String text, Duration elapsed, String outcome,
                              boolean failed) {
    public enum Kind { COMMAND, SQL, OUTPUT }
}
