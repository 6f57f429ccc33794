package dev.pgdeck.model.window;

import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.wal.SegmentStops;
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
 * the moment it was archived. Each timeline's window ends with the last segment on its path: pg_stat_archiver's
 * last_archived_time stands in for that segment's archive time only when last_archived_wal names exactly that
 * segment. After a timeline switch it names {@code 00000002.history} or the old timeline's {@code .partial}
 * segment, whose archive times say nothing about where any timeline's WAL ends.
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
        return plan(backups, archive, null, lastArchivedWal, lastArchivedTime, histories);
    }

    /**
     * As {@link #plan(List, WalArchive, String, Instant, Map)}, with the timeline the server is on when it answered
     * (null when it did not: then it is inferred from last_archived_wal and the archive).
     */
    public static RecoverableWindows plan(List<BaseBackup> backups, WalArchive archive, Integer serverTimeline,
                                          String lastArchivedWal, Instant lastArchivedTime,
                                          Map<Integer, TimelineHistory> histories) {
        return plan(backups, archive, serverTimeline, lastArchivedWal, lastArchivedTime, histories, null, 0);
    }

    /**
     * As {@link #plan(List, WalArchive, Integer, String, Instant, Map)}, with each run's {@link TimeEdge} from the
     * commit and abort records read so far ({@code stops} by segment name; null: none read, the edges stay
     * unknown). Where a run's newest segments have not been read, up to {@code readAhead} of them are named in
     * its edge's {@code unread}, newest first: read those and plan again.
     */
    public static RecoverableWindows plan(List<BaseBackup> backups, WalArchive archive, Integer serverTimeline,
                                          String lastArchivedWal, Instant lastArchivedTime,
                                          Map<Integer, TimelineHistory> histories, Map<String, SegmentStops> stops,
                                          int readAhead) {
        List<String> notes = new ArrayList<>();
        TreeSet<Integer> timelines = new TreeSet<>();
        archive.timelines().stream().map(TimelineRange::timeline).forEach(timelines::add);
        backups.stream().filter(BaseBackup::isComplete).map(BaseBackup::timeline).forEach(timelines::add);
        timelines.addAll(histories.keySet());
        WalFileName last = WalFileName.tryParse(lastArchivedWal);
        int current = currentTimeline(serverTimeline, last, timelines);
        timelines.add(current);
        // Only a segment's own name makes last_archived_time that segment's archive time.
        String lastSegment = last != null && last.isSegment() ? last.name() : null;
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
            Instant bound = tli == current && lastSegment != null ? lastArchivedTime : null;
            TimelineWindow w = planTimeline(backups, new WalPath(archive, history), tli, lastSegment, bound, stops,
                    Math.max(1, readAhead), tlNotes);
            if (w != null) {
                windows.add(w);
            }
        }
        return new RecoverableWindows(current, windows, notes);
    }

    /**
     * The server's own timeline when it answered. Else last_archived_wal's: a segment, backup history or timeline
     * history file is written on the timeline it names, but a {@code .partial} segment is the end of a timeline the
     * server has just left, so the newest timeline known from the archive is the better guess.
     */
    static int currentTimeline(Integer serverTimeline, WalFileName last, TreeSet<Integer> timelines) {
        if (serverTimeline != null) {
            return serverTimeline;
        }
        if (last == null) {
            return timelines.isEmpty() ? 1 : timelines.last();
        }
        if (last.kind() == WalFileName.Kind.PARTIAL && !timelines.isEmpty() && timelines.last() > last.timeline()) {
            return timelines.last();
        }
        return last.timeline();
    }

    private static TimelineWindow planTimeline(List<BaseBackup> all, WalPath path, int tli, String lastArchivedWal,
                                               Instant lastArchivedTime, Map<String, SegmentStops> stops,
                                               int readAhead, List<String> notes) {
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
            String lastName = lastPresent >= stopSeg ? path.segment(lastPresent).name() : null;
            if (!walBeyond && lastArchivedTime != null && lastName != null && lastName.equals(lastArchivedWal)) {
                end = max(end, lastArchivedTime);
            }
            String missingName = walBeyond ? path.segment(k).name() : null;
            TimeEdge edge = stops == null ? TimeEdge.notRead() : timeEdge(path, stopSeg, lastPresent, stops, readAhead);
            runs.add(new CoveredRun(b.label(), stopTime, end, lastName, missingName, edge));
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

    /**
     * The latest commit or abort among segments {@code stopSeg..lastPresent} of the path, newest segment first: the
     * first segment holding one decides (commit times within a segment are compared, across segments the newer
     * segment's records come later in the WAL, which is what recovery replays in order).
     */
    private static TimeEdge timeEdge(WalPath path, long stopSeg, long lastPresent, Map<String, SegmentStops> stops,
                                     int readAhead) {
        List<String> unread = new ArrayList<>();
        for (long k = lastPresent; k >= stopSeg; k--) {
            String name = path.segment(k).name();
            SegmentStops s = stops.get(name);
            if (s == null) {
                unread.add(name);
                if (unread.size() >= readAhead) {
                    break;
                }
                continue;
            }
            if (!unread.isEmpty()) {
                break;
            }
            if (!s.readable()) {
                return new TimeEdge(null, "segment " + name + " could not be read: " + s.error(), List.of());
            }
            if (s.lastStop() != null) {
                return new TimeEdge(s.lastStop(), null, List.of());
            }
        }
        if (!unread.isEmpty()) {
            return new TimeEdge(null, "segment " + unread.get(0) + " has not been read yet", unread);
        }
        return new TimeEdge(null, null, List.of());
    }

    private static Instant max(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }
}
