package dev.pgdeck.model.window;

import java.time.Instant;
import java.util.List;

/**
 * The latest time a recovery_target_time can reach in one covered run: the latest commit or abort record in the WAL
 * the run replays ({@link dev.pgdeck.model.wal.SegmentStops}). A target at or after it is never reached, however
 * late the WAL was archived: recovery replays to the end and stops with "recovery ended before configured recovery
 * target was reached".
 *
 * @param latest the latest commit or abort time; null when there is none or it is not known
 * @param unknown why it is not known (segments not read, or one could not be read); null when it is
 * @param unread the run's newest segments whose records have not been read yet, newest first
 */
public record TimeEdge(Instant latest, String unknown, List<String> unread) {
    public TimeEdge {
        unread = List.copyOf(unread);
    }

    private static final String NOT_READ = "the archived WAL's records were not read";

    /** The edge where no WAL records were read at all (the facts came without them, e.g. from restic). */
    static TimeEdge notRead() {
        return new TimeEdge(null, NOT_READ, List.of());
    }

    /** Whether reading the WAL was tried (so an unknown edge is worth a warning). */
    public boolean tried() {
        return !NOT_READ.equals(unknown);
    }

    /** Whether the archived WAL was read and holds no commit or abort at all: no time target can be reached. */
    public boolean none() {
        return latest == null && unknown == null;
    }

    public boolean known() {
        return unknown == null;
    }
}
