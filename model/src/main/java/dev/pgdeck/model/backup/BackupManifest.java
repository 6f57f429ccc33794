package dev.pgdeck.model.backup;

import java.util.List;

/** The parts of a backup_manifest pgdeck uses: file count and total size, WAL ranges, and the checksum. */
public record BackupManifest(int version, int fileCount, long totalSize, List<WalRange> walRanges, String checksum) {
    public BackupManifest {
        walRanges = List.copyOf(walRanges);
    }

    public WalRange lastWalRange() {
        return walRanges.get(walRanges.size() - 1);
    }
}
