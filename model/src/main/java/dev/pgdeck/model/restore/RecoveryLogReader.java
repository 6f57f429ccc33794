package dev.pgdeck.model.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a recovering server's log (any log_line_prefix: the messages are matched, not the prefix). */
public final class RecoveryLogReader {
    private static final Pattern RESTORED = Pattern.compile("restored log file \"([0-9A-F]{24})\" from archive");
    private static final Pattern NEW_TIMELINE = Pattern.compile("selected new timeline ID: (\\d+)");
    private static final Pattern STOPPING = Pattern.compile("(recovery stopping (before|after|at) .*)$");

    private RecoveryLogReader() {}

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
