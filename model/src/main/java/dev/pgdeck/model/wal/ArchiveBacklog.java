package dev.pgdeck.model.wal;

/**
 * How much WAL of the server's current timeline is written but not yet archived: whole segments before the one being
 * written, and bytes. Only the current timeline counts. After a switch to timeline 2 at 0/5000100, segments 1-4 were
 * written (and archived) on timeline 1, and {@code 000000020000000000000005} is the first segment timeline 2 has to
 * archive, so a server just promoted has a backlog of 0 although nothing of timeline 2 is archived yet and
 * pg_stat_archiver.last_archived_wal names {@code 00000002.history} (or timeline 1's {@code .partial} segment).
 *
 * @param segments finished segments of the current timeline not yet archived
 * @param bytes WAL of the current timeline written after the last archived byte
 */
public record ArchiveBacklog(long segments, long bytes) {
    /**
     * @param current the segment being written (pg_walfile_name(pg_current_wal_lsn()))
     * @param currentLsn pg_current_wal_lsn()
     * @param lastArchivedWal pg_stat_archiver.last_archived_wal: a segment, {@code .partial}, {@code .backup} or
     *                        {@code .history} name, or null; only a segment of the current timeline says how far
     *                        archiving got
     * @param archive the WAL archive's listing, null when it could not be read
     * @param history the current timeline's history, null when unknown (then the whole timeline counts from 0/0)
     */
    public static ArchiveBacklog of(WalSegment current, Lsn currentLsn, String lastArchivedWal, WalArchive archive,
                                    TimelineHistory history) {
        int tli = current.timeline();
        Lsn branch = history != null && history.timeline() == tli ? history.branchPoint() : null;
        // The segment holding the switch point is the first this timeline writes (and archives) under its name;
        // timeline 1 starts at segment 1 (initdb's first WAL is 0/1000000).
        long archived = branch == null ? 0 : branch.segment(tli).number() - 1;
        WalFileName last = WalFileName.tryParse(lastArchivedWal);
        if (last != null && last.isSegment() && last.timeline() == tli) {
            archived = Math.max(archived, Math.min(last.segment().number(), current.number() - 1));
        }
        if (archive != null) {
            archived = Math.max(archived, archive.highestAtMost(tli, current.number() - 1));
        }
        long segments = Math.max(0, current.number() - archived - 1);
        long archivedUpTo = Math.max((archived + 1) * WalSegment.SIZE, branch == null ? 0 : branch.value());
        return new ArchiveBacklog(segments, Math.max(0, currentLsn.value() - archivedUpTo));
    }
}
