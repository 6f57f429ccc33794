package dev.pgdeck.model.restore;

import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.wal.Lsn;
import dev.pgdeck.model.wal.TimelineHistory;
import dev.pgdeck.model.wal.WalArchive;
import dev.pgdeck.model.wal.WalFileName;
import dev.pgdeck.model.wal.WalSegment;
import java.time.Instant;

/**
 * The pre-flight checks computed from the archive listing alone: every segment from the backup to the target is
 * archived on the timeline recovery reads it from, and the timeline history recovery needs is there.
 */
public final class WalChecks {
    private WalChecks() {}

    /**
     * Continuity from the backup's start (its stop when the backup carries its own WAL) to the segment that holds
     * the target. A time target needs WAL up to the first segment archived at or after it; latest, an xid or an
     * unknown name need everything there is.
     */
    public static PreflightCheck continuity(RecoveryTarget target, BaseBackup backup, int timeline,
                                            RecoveryFacts facts, boolean backupCarriesWal) {
        String name = "WAL continuity";
        WalArchive archive = facts.archive();
        TimelineHistory history = facts.history(timeline);
        Lsn fromLsn = backupCarriesWal ? backup.stopLsn() : backup.startLsn();
        long from = (backupCarriesWal ? fromLsn.segmentOfPreviousByte(backup.timeline()) : fromLsn.segment(1)).number();
        long last = lastOnPath(archive, history, from);
        long to = switch (target.kind()) {
            case IMMEDIATE -> backup.stopLsn().segmentOfPreviousByte(1).number();
            case LSN -> target.lsn().segment(1).number();
            case NAME -> facts.restorePoints().containsKey(target.text())
                    ? facts.restorePoints().get(target.text()).segment(1).number() : last;
            case TIME -> firstArchivedAtOrAfter(archive, history, from, last, target.time().toInstant());
            case LATEST, XID -> last;
        };
        if (to < from) {
            to = from;
        }
        for (long k = from; k <= to; k++) {
            WalSegment seg = segmentOnPath(history, k);
            if (!archive.contains(seg)) {
                return PreflightCheck.fail(name, "segment " + seg.name() + " is missing from the archive: recovery"
                        + " from backup " + backup.label() + " would stop there, before the target ("
                        + (to - from + 1) + " segments needed from " + segmentOnPath(history, from).name() + ")");
            }
        }
        return PreflightCheck.pass(name, (to - from + 1) + " segments from " + segmentOnPath(history, from).name()
                + " to " + segmentOnPath(history, to).name() + " are all archived on the path to timeline "
                + timeline);
    }

    /** Recovery to a timeline above 1 needs its history file in the archive (and those of the ancestors). */
    public static PreflightCheck timelineHistory(int timeline, RecoveryFacts facts) {
        String name = "Timeline history";
        if (timeline == 1) {
            return PreflightCheck.pass(name, "timeline 1 (no history file needed); history files in the archive: "
                    + (facts.archive().historyFiles().isEmpty() ? "none" : facts.archive().historyFiles()));
        }
        String file = WalFileName.timelineHistoryName(timeline);
        if (!facts.archive().historyFiles().contains(file)) {
            return PreflightCheck.fail(name, file + " is not in the archive: recovery cannot follow timeline "
                    + timeline);
        }
        return PreflightCheck.pass(name, "timeline " + timeline + " branched from " + facts.history(timeline).parent()
                + " at " + facts.history(timeline).branchPoint() + "; recovery_target_timeline is set to "
                + timeline + " explicitly");
    }

    /** The segment recovery reads at {@code number}: from the newest timeline that had begun by its last byte. */
    static WalSegment segmentOnPath(TimelineHistory history, long number) {
        Lsn lastByte = new Lsn((number + 1) * WalSegment.SIZE - 1);
        return new WalSegment(history.timelineAt(lastByte), number);
    }

    private static long lastOnPath(WalArchive archive, TimelineHistory history, long from) {
        long k = from;
        long lastPresent = from - 1;
        long limit = Math.max(archive.lastNumber(history.timeline()), from);
        for (var r : archive.timelines()) {
            limit = Math.max(limit, archive.lastNumber(r.timeline()));
        }
        for (; k <= limit; k++) {
            if (archive.contains(segmentOnPath(history, k))) {
                lastPresent = k;
            }
        }
        return lastPresent;
    }

    private static long firstArchivedAtOrAfter(WalArchive archive, TimelineHistory history, long from, long last,
                                               Instant t) {
        for (long k = from; k <= last; k++) {
            Instant at = archive.archivedAt(segmentOnPath(history, k));
            if (at != null && !at.isBefore(t)) {
                return k;
            }
        }
        return last;
    }
}
