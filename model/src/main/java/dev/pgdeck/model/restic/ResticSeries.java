package dev.pgdeck.model.restic;

import java.util.ArrayList;
import java.util.List;

/**
 * An instance's restic snapshots split into its two series by tag (seed 002: {@code postgresql, <instance>,
 * base-backup} and {@code postgresql, <instance>, wal-archive}); {@code other} holds the rest.
 */
public record ResticSeries(List<ResticSnapshot> baseBackups, List<ResticSnapshot> walArchive,
                           List<ResticSnapshot> other) {
    public static final String BASE_BACKUP_TAG = "base-backup";
    public static final String WAL_ARCHIVE_TAG = "wal-archive";

    /** Groups the snapshots tagged {@code postgresql} and {@code instance}; keeps their order. */
    public static ResticSeries of(List<ResticSnapshot> snapshots, String instance) {
        List<ResticSnapshot> base = new ArrayList<>();
        List<ResticSnapshot> wal = new ArrayList<>();
        List<ResticSnapshot> other = new ArrayList<>();
        for (ResticSnapshot s : snapshots) {
            boolean ours = s.tags().contains("postgresql") && s.tags().contains(instance);
            if (ours && s.tags().contains(BASE_BACKUP_TAG)) {
                base.add(s);
            } else if (ours && s.tags().contains(WAL_ARCHIVE_TAG)) {
                wal.add(s);
            } else {
                other.add(s);
            }
        }
        return new ResticSeries(List.copyOf(base), List.copyOf(wal), List.copyOf(other));
    }

    public ResticSnapshot latestBaseBackup() {
        return baseBackups.isEmpty() ? null : baseBackups.get(baseBackups.size() - 1);
    }

    public ResticSnapshot latestWalArchive() {
        return walArchive.isEmpty() ? null : walArchive.get(walArchive.size() - 1);
    }
}
