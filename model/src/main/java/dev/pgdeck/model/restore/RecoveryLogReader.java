package dev.pgdeck.model.restore;

import dev.pgdeck.model.wal.Lsn;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a recovering server's log (any log_line_prefix: the messages are matched, not the prefix). */
public final class RecoveryLogReader {
    private static final Pattern RESTORED = Pattern.compile("restored log file \"([0-9A-F]{24})\" from archive");
    private static final Pattern NEW_TIMELINE = Pattern.compile("selected new timeline ID: (\\d+)");
    private static final Pattern STOPPING = Pattern.compile("(recovery stopping (before|after|at) .*)$");

    /** The server's "recovery stopping" lines (xlogrecovery.c), one per way a target stops recovery. */
    private static final Pattern STOP_XACT = Pattern.compile(
            "recovery stopping (before|after) (commit|abort) of transaction (\\d+), time (.+)");
    private static final Pattern STOP_LSN = Pattern.compile(
            "recovery stopping (before|after) WAL location \\(LSN\\) \"([0-9A-F]{1,8}/[0-9A-F]{1,8})\"");
    private static final String STOP_CONSISTENT = "recovery stopping after reaching consistency";
    /** timestamptz_to_str in ISO style: microseconds optional, the zone as +HH, +HH:MM or +HH:MM:SS. */
    private static final DateTimeFormatter LOG_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendOffset("+HH:mm:ss", "+00")
            .toFormatter();

    private RecoveryLogReader() {}

    /**
     * Whether the server's "recovery stopping" line says it stopped at {@code target}, not merely somewhere: the same
     * transaction id, the same restore point name, the first record at or after the LSN, a transaction ending at or
     * after the time (recovery stops before the first one past it), consistency for immediate. A latest recovery has
     * no such line and is reached by promoting. A server that stopped elsewhere (a target it read differently) is not
     * reported as reaching the target.
     */
    public static boolean stoppedAt(RecoveryTarget target, String stoppingLine) {
        if (target.kind() == RecoveryTarget.Kind.LATEST) {
            return true;
        }
        if (stoppingLine == null) {
            return false;
        }
        String line = stoppingLine.strip();
        switch (target.kind()) {
            case IMMEDIATE -> {
                return line.equals(STOP_CONSISTENT);
            }
            case NAME -> {
                return line.startsWith("recovery stopping at restore point \"" + target.text() + "\", time ");
            }
            case XID -> {
                Matcher m = STOP_XACT.matcher(line);
                return m.matches() && m.group(3).equals(target.text());
            }
            case LSN -> {
                Matcher m = STOP_LSN.matcher(line);
                return m.matches() && !Lsn.tryParse(m.group(2)).isBefore(target.lsn());
            }
            case TIME -> {
                Matcher m = STOP_XACT.matcher(line);
                if (!m.matches() || !m.group(1).equals("before")) {
                    return false;
                }
                try {
                    OffsetDateTime at = OffsetDateTime.parse(m.group(4).strip(), LOG_TIME);
                    return !at.toInstant().isBefore(target.time().toInstant());
                } catch (DateTimeParseException e) {
                    return false;
                }
            }
            default -> {
                return false;
            }
        }
    }

    public static RecoveryProgress read(String log) {
        int restored = 0;
        String last = null;
        boolean consistent = false;
        String stopping = null;
        Integer timeline = null;
        boolean endedBefore = false;
        boolean paused = false;
        List<String> fatal = new ArrayList<>();
        boolean stopped = false;
        for (String line : log.split("\n")) {
            Matcher m = RESTORED.matcher(line);
            if (m.find()) {
                restored++;
                last = m.group(1);
                continue;
            }
            if (line.contains("consistent recovery state reached")) {
                consistent = true;
            }
            m = STOPPING.matcher(line);
            if (m.find()) {
                stopping = m.group(1).strip();
            }
            m = NEW_TIMELINE.matcher(line);
            if (m.find()) {
                timeline = Integer.valueOf(m.group(1));
            }
            if (line.contains("recovery ended before configured recovery target was reached")) {
                endedBefore = true;
            }
            if (line.contains("recovery has paused") || line.contains("pausing at the end of recovery")) {
                paused = true;
            }
            if ((line.contains("FATAL:") || line.contains("PANIC:")) && !clientMessage(line)) {
                fatal.add(line.strip());
            }
            if (line.contains("aborting startup due to startup process failure")
                    || line.contains("database system is shut down") || line.contains("PANIC:")
                    || (line.contains("startup process (PID") && line.contains("exited with exit code"))) {
                stopped = true;
            }
        }
        return new RecoveryProgress(restored, last, consistent, stopping, timeline, endedBefore, paused, fatal,
                stopped);
    }

    /** FATAL lines a refused connection produces (our own polls while the server starts), not the server's end. */
    private static boolean clientMessage(String line) {
        return line.contains("the database system is starting up")
                || line.contains("the database system is not yet accepting connections")
                || line.contains("the database system is shutting down")
                || line.contains("the database system is in recovery mode")
                || line.contains("does not exist") || line.contains("authentication failed")
                || line.contains("no pg_hba.conf entry");
    }
}
