package dev.pgdeck.model.restore;

import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.wal.Lsn;
import dev.pgdeck.model.wal.TimelineHistory;
import dev.pgdeck.model.wal.WalArchive;
import dev.pgdeck.model.window.RecoverableWindows;
import java.util.List;
import java.util.Map;

/**
 * What is known about one instance's recoverability, as read from the host: its base backups, WAL archive,
 * timeline histories, the recoverable windows computed from them, and pgdeck's restore points (name to LSN).
 */
public record RecoveryFacts(List<BaseBackup> backups, WalArchive archive, Map<Integer, TimelineHistory> histories,
                            RecoverableWindows windows, Map<String, Lsn> restorePoints) {
    public RecoveryFacts {
        backups = List.copyOf(backups);
        histories = Map.copyOf(histories);
        restorePoints = Map.copyOf(restorePoints);
    }

    /** The history of {@code timeline}; timeline 1 (or one whose file is missing) has no switches. */
    public TimelineHistory history(int timeline) {
        return histories.getOrDefault(timeline, new TimelineHistory(timeline, List.of()));
    }
}
