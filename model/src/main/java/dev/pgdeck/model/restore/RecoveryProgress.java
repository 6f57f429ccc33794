package dev.pgdeck.model.restore;

import java.util.List;

/**
 * What the restored server's log says so far: segments restored from the archive, whether a consistent state was
 * reached, the "recovery stopping ..." line, the new timeline, and the ways recovery can end badly: stopped before
 * the target (the target is not in the WAL), paused, or the server gone ({@code serverStopped}, with the server's
 * own FATAL/PANIC lines; a client's "the database system is starting up" is not one of them).
 */
public record RecoveryProgress(int restoredSegments, String lastRestored, boolean consistent, String stoppingLine,
                               Integer newTimeline, boolean endedBeforeTarget, boolean paused,
                               List<String> fatalLines, boolean serverStopped) {
    public RecoveryProgress {
        fatalLines = List.copyOf(fatalLines);
    }

    public static final RecoveryProgress NONE = new RecoveryProgress(0, null, false, null, null, false, false,
            List.of(), false);

    /** Whether the log shows that the target was reached (a stopping line, or promotion on a latest recovery). */
    public boolean stopped() {
        return stoppingLine != null;
    }

    /** The bad endings in words, for the operator; null when there is none. */
    public String problem() {
        if (endedBeforeTarget) {
            return "recovery ended before the target was reached: the archived WAL after the base backup does not"
                    + " contain the target (a restore point never created, a transaction not in this WAL, or a time"
                    + " after the last archived commit), so the server refused to promote. Choose an earlier target"
                    + " or make sure the missing WAL is in the archive.";
        }
        if (paused) {
            return "recovery is paused (recovery_target_action = pause, or pg_wal_replay_pause()): resume with"
                    + " SELECT pg_wal_replay_resume() or finish with SELECT pg_promote()";
        }
        if (serverStopped) {
            return "the server stopped" + (fatalLines.isEmpty() ? "" : ": " + fatalLines.get(fatalLines.size() - 1));
        }
        return null;
    }
}
