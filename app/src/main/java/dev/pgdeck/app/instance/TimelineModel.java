package dev.pgdeck.app.instance;

import dev.pgdeck.app.common.Formats;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.overview.BaseBackupSummary;
import dev.pgdeck.model.overview.WindowSummary;
import dev.pgdeck.model.restic.ResticSeries;
import dev.pgdeck.model.restic.ResticSnapshot;
import dev.pgdeck.model.zfs.ZfsSnapshot;
import dev.pgdeck.remote.probe.HostActions.RestorePoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the recoverable-window drawing shows, on one time axis: base backups (start to stop), WAL coverage per
 * timeline broken by its gaps, the gaps themselves, restore points, ZFS and restic snapshots. Lanes top to bottom.
 * {@code start}..{@code end} spans everything; {@code focusStart}..{@code focusEnd} the backups, WAL, gaps and
 * restore points only (snapshots kept for a year would otherwise squeeze a day's window into a sliver).
 */
public record TimelineModel(List<String> lanes, List<Item> items, Instant start, Instant end, Instant focusStart,
                            Instant focusEnd) {
    public enum Kind { BASE_BACKUP, WAL, GAP, RESTORE_POINT, ZFS, RESTIC_BASE, RESTIC_WAL }

    /** A range ({@code to} after {@code from}) or a point ({@code to} null), with its tooltip text. */
    public record Item(String lane, Kind kind, Instant from, Instant to, String tooltip) {
        public boolean isPoint() {
            return to == null;
        }
    }

    public static final String BACKUPS = "Base backups";
    public static final String RESTORE_POINTS = "Restore points";
    public static final String ZFS = "ZFS";
    public static final String RESTIC = "restic";

    public TimelineModel {
        lanes = List.copyOf(lanes);
        items = List.copyOf(items);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public long count(Kind kind) {
        return items.stream().filter(i -> i.kind() == kind).count();
    }

    public static TimelineModel of(InstanceStatus instance, List<RestorePoint> restorePoints) {
        List<Item> items = new ArrayList<>();
        if (instance.baseBackups() != null) {
            for (BaseBackupSummary b : instance.baseBackups()) {
                if (b.startTime() == null) {
                    continue;
                }
                Instant to = b.stopTime() == null ? null : b.stopTime().toInstant();
                items.add(new Item(BACKUPS, Kind.BASE_BACKUP, b.startTime().toInstant(),
                        to != null && to.isAfter(b.startTime().toInstant()) ? to : null,
                        "Base backup " + b.label() + "\nstart " + Formats.time(b.startTime()) + " (" + b.startLsn()
                                + ")\nstop " + Formats.time(b.stopTime()) + " (" + b.stopLsn() + ")\ntimeline "
                                + b.timeline() + ", " + Formats.bytes(b.sizeBytes())));
            }
        }
        WindowSummary window = instance.recoverableWindow();
        if (window != null) {
            wal(window, items);
            if (window.otherTimelines() != null) {
                window.otherTimelines().forEach(w -> wal(w, items));
            }
        }
        for (RestorePoint p : restorePoints) {
            items.add(new Item(RESTORE_POINTS, Kind.RESTORE_POINT, p.createdAt().toInstant(), null,
                    "Restore point " + p.name() + "\n" + Formats.time(p.createdAt()) + " at " + p.lsn()
                            + "\ncreated by " + p.createdBy()));
        }
        if (instance.zfsSnapshots() != null) {
            for (ZfsSnapshot z : instance.zfsSnapshots()) {
                items.add(new Item(ZFS, Kind.ZFS, z.creation(), null, "ZFS snapshot " + z.fullName() + "\n"
                        + Formats.time(z.creation()) + ", used " + Formats.bytes(z.used()) + ", refer "
                        + Formats.bytes(z.refer())));
            }
        }
        if (instance.resticSnapshots() != null) {
            for (ResticSnapshot r : instance.resticSnapshots()) {
                boolean base = r.tags().contains(ResticSeries.BASE_BACKUP_TAG);
                items.add(new Item(RESTIC, base ? Kind.RESTIC_BASE : Kind.RESTIC_WAL, r.time().toInstant(), null,
                        "restic snapshot " + r.shortId() + (base ? " (base backups)" : " (WAL archive)") + "\n"
                                + Formats.time(r.time()) + "\ntags " + String.join(", ", r.tags())));
            }
        }
        Set<String> lanes = new LinkedHashSet<>();
        lanes.add(BACKUPS);
        items.stream().map(Item::lane).filter(l -> l.startsWith("WAL")).sorted().forEach(lanes::add);
        lanes.add(RESTORE_POINTS);
        lanes.add(ZFS);
        lanes.add(RESTIC);
        Instant[] all = span(items);
        List<Item> focused = items.stream().filter(i -> i.kind() == Kind.BASE_BACKUP || i.kind() == Kind.WAL
                || i.kind() == Kind.GAP || i.kind() == Kind.RESTORE_POINT).toList();
        Instant[] focus = focused.isEmpty() ? all : span(focused);
        // gaps that run "until the next backup" reach the end of the axis
        Instant axisEnd = all[1];
        List<Item> closed = items.stream().map(i -> i.kind() == Kind.GAP && i.to() == null
                ? new Item(i.lane(), i.kind(), i.from(), axisEnd, i.tooltip()) : i).toList();
        return new TimelineModel(new ArrayList<>(lanes), closed, all[0], all[1], focus[0], focus[1]);
    }

    /** From the first to the last instant of {@code items}, with a little room either side; nulls when none. */
    private static Instant[] span(List<Item> items) {
        Instant start = items.stream().map(Item::from).min(Comparator.naturalOrder()).orElse(null);
        Instant end = items.stream().flatMap(i -> Stream.of(i.from(), i.to())).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
        if (start == null) {
            return new Instant[] {null, null};
        }
        Duration pad = Duration.ofMillis(Math.max(60_000, Duration.between(start, end).toMillis() / 40));
        return new Instant[] {start.minus(pad), end.plus(pad)};
    }

    /** The timeline's coverage from earliest to latest, cut by each gap; the gaps themselves in red. */
    private static void wal(WindowSummary w, List<Item> items) {
        if (w.earliest() == null || w.latest() == null) {
            return;
        }
        String lane = "WAL, timeline " + w.timeline();
        Instant from = w.earliest().toInstant();
        Instant latest = w.latest().toInstant();
        List<WindowSummary.Gap> gaps = new ArrayList<>(w.gaps());
        gaps.sort(Comparator.comparing(g -> g.from().toInstant()));
        for (WindowSummary.Gap g : gaps) {
            Instant gapFrom = g.from().toInstant();
            if (gapFrom.isAfter(from)) {
                items.add(coverage(lane, w.timeline(), from, gapFrom));
            }
            items.add(new Item(lane, Kind.GAP, gapFrom, g.to() == null ? null : g.to().toInstant(),
                    "Gap on timeline " + w.timeline() + ": no recovery from " + Formats.time(g.from()) + " to "
                            + (g.to() == null ? "the next base backup" : Formats.time(g.to()))
                            + "\nlast segment before: " + g.lastSegmentBefore() + "\nfirst missing: "
                            + g.firstMissingSegment()));
            from = g.to() == null ? latest : g.to().toInstant();
        }
        if (latest.isAfter(from)) {
            items.add(coverage(lane, w.timeline(), from, latest));
        }
    }

    private static Item coverage(String lane, Integer timeline, Instant from, Instant to) {
        return new Item(lane, Kind.WAL, from, to, "WAL on timeline " + timeline + ": recoverable\nfrom "
                + Formats.time(from) + "\nto " + Formats.time(to));
    }
}
