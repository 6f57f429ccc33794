package dev.pgdeck.model.window;

import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.wal.TimelineHistory;
import dev.pgdeck.model.wal.TimelineRange;
import dev.pgdeck.model.wal.WalArchive;
import dev.pgdeck.model.wal.WalFileName;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Computes the recoverable window per timeline. A base backup can be recovered from its stop point; from there
 * recovery replays archived WAL segment by segment until one is missing. A backup whose stop lies past a gap starts
 * coverage again. The backups are assumed to carry the WAL they need up to their stop (pg_basebackup -X stream, as
 * on seed-002 hosts), so only WAL from the stop segment on has to be in the archive.
 *
 * <p>Times at a gap are the archive times (mtimes) of the segments: the last commit in a segment is at or before
 * the moment it was archived. The latest point of the current timeline is bounded by pg_stat_archiver's
 * last_archived_time.
 */
public final class WindowPlanner {
    private WindowPlanner() {}

    /**
     * @param backups base backups; those without a stop LSN are ignored
     * @param archive the WAL archive summary (may be {@link WalArchive#empty()})
     * @param lastArchivedWal pg_stat_archiver.last_archived_wal, may be null
     * @param lastArchivedTime pg_stat_archiver.last_archived_time, may be null
     * @param histories timeline history files by timeline (timeline 1 needs none)
     */
    public static RecoverableWindows plan(List<BaseBackup> backups, WalArchive archive, String lastArchivedWal,
                                          Instant lastArchivedTime, Map<Integer, TimelineHistory> histories) {
        List<String> notes = new ArrayList<>();
        TreeSet<Integer> timelines = new TreeSet<>();
        archive.timelines().stream().map(TimelineRange::timeline).forEach(timelines::add);
        backups.stream().filter(BaseBackup::isComplete).map(BaseBackup::timeline).forEach(timelines::add);
        timelines.addAll(histories.keySet());
        WalFileName last = WalFileName.tryParse(lastArchivedWal);
        int current = last != null ? last.timeline() : timelines.isEmpty() ? 1 : timelines.last();
        timelines.add(current);
        if (backups.stream().noneMatch(BaseBackup::isComplete)) {
            notes.add("no complete base backup: nothing can be recovered");
        }
        List<TimelineWindow> windows = new ArrayList<>();
        for (int tli : timelines) {
            TimelineHistory history = histories.get(tli);
            List<String> tlNotes = new ArrayList<>();
            if (history == null) {
                if (tli > 1) {
                    tlNotes.add("history file " + WalFileName.timelineHistoryName(tli)
                            + " is missing: only backups taken on timeline " + tli + " are considered");
                }
                history = new TimelineHistory(tli, List.of());
            }
            Instant bound = tli == current ? lastArchivedTime : null;
            TimelineWindow w = planTimeline(backups, new WalPath(archive, history), tli, bound, tlNotes);
            if (w != null) {
                windows.add(w);
            }
        }
        return new RecoverableWindows(current, windows, notes);
    }

    private static TimelineWindow planTimeline(List<BaseBackup> all, WalPath path, int tli, Instant lastArchivedTime,
                                               List<String> notes) {
        List<BaseBackup> backups = new ArrayList<>();
        for (BaseBackup b : all) {
            if (b.isComplete() && path.holds(b.timeline(), b.stopLsn())) {
                backups.add(b);
            }
        }
        backups.sort(Comparator.comparing(BaseBackup::stopLsn));
        List<CoveredRun> runs = new ArrayList<>();
        WindowGap brokenAfter = null;
        long coveredUntil = -1;
        for (BaseBackup b : backups) {
            long stopSeg = b.stopLsn().segment(1).number();
            if (stopSeg <= coveredUntil) {
                continue;
            }
            Instant stopTime = b.stopTime() != null ? b.stopTime().toInstant() : path.archivedAt(stopSeg);
            if (stopTime == null) {
                notes.add("backup " + b.label() + " has no stop time and its stop segment is not archived: skipped");
                continue;
            }
            long k = stopSeg;
            while (path.present(k)) {
                k++;
            }
            long lastPresent = k - 1;
            Instant end = stopTime;
            if (lastPresent >= stopSeg) {
                end = max(end, path.archivedAt(lastPresent));
            }
            boolean walBeyond = path.lastSegment() > k;
            if (!walBeyond && lastArchivedTime != null && lastPresent >= stopSeg) {
                end = max(end, lastArchivedTime);
            }
            String lastName = lastPresent >= stopSeg ? path.segment(lastPresent).name() : null;
            String missingName = walBeyond ? path.segment(k).name() : null;
            runs.add(new CoveredRun(b.label(), stopTime, end, lastName, missingName));
            brokenAfter = walBeyond ? new WindowGap(end, null, lastName, missingName) : null;
            coveredUntil = Math.max(lastPresent, stopSeg);
        }
        if (runs.isEmpty()) {
            return null;
        }
        List<WindowGap> gaps = new ArrayList<>();
        for (int i = 1; i < runs.size(); i++) {
            CoveredRun before = runs.get(i - 1);
            CoveredRun after = runs.get(i);
            gaps.add(new WindowGap(before.to(), after.from(), before.lastSegment(), before.stoppedAt()));
        }
        if (brokenAfter != null) {
            notes.add("WAL after " + brokenAfter.lastSegmentBefore() + " cannot be reached: "
                    + brokenAfter.firstMissingSegment() + " is missing and no base backup was taken after it");
        }
        return new TimelineWindow(tli, runs.get(0).from(), runs.get(runs.size() - 1).to(), gaps, runs, brokenAfter,
                notes);
    }

    private static Instant max(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }
}
