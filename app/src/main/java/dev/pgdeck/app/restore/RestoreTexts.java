package dev.pgdeck.app.restore;

import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.restore.RecoveryProgress;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.window.TimelineWindow;
import dev.pgdeck.remote.restore.InstanceRecovery;
import dev.pgdeck.remote.restore.StepResult;
import dev.pgdeck.model.zfs.ZfsSnapshot;
import dev.pgdeck.remote.restore.RestoreWorkflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the wizard says things in words: targets, windows, backups, progress. All times in UTC, as PostgreSQL logs. */
final class RestoreTexts {
    static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** Commit times to the microsecond: a time target must lie strictly before the last commit. */
    static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS 'UTC'")
            .withZone(ZoneOffset.UTC);

    private RestoreTexts() {}

    static String time(Instant t) {
        return t == null ? "—" : UTC.format(t);
    }

    static String window(InstanceRecovery state, int timeline) {
        return state.facts().windows().timeline(timeline).map(RestoreTexts::window)
                .orElse("nothing is recoverable on timeline " + timeline);
    }

    static String window(TimelineWindow w) {
        if (w.earliest() == null) {
            return w.notes().isEmpty() ? "nothing is recoverable on timeline " + w.timeline() : w.notes().get(0);
        }
        return "recoverable on timeline " + w.timeline() + " from " + time(w.earliest()) + " to "
                + time(w.latest()) + " (end of the archive)" + (w.gaps().isEmpty() ? "" : " with " + w.gaps().size()
                + " gap" + (w.gaps().size() == 1 ? "" : "s") + " in the archive") + "; " + latestTimeTarget(w);
    }

    /** The window's other edge in words: the latest time a time target reaches, or why it is not known. */
    static String latestTimeTarget(TimelineWindow w) {
        if (w.latestTimeTarget() != null) {
            return "latest time target " + MICROS.format(w.latestTimeTarget()) + " (the last archived commit)";
        }
        var edge = w.runs().isEmpty() ? null : w.runs().get(w.runs().size() - 1).timeEdge();
        if (edge != null && edge.none()) {
            return "no time target can be reached (no commit archived after the backup)";
        }
        return "latest time target not known" + (edge == null || edge.unknown() == null ? ""
                : " (" + edge.unknown() + ")");
    }

    static String instance(InstanceRecovery s) {
        return s.instance() + " (port " + s.port() + ", " + (s.running() ? "running" : "not answering")
                + ", timeline " + s.currentTimeline() + "): " + s.facts().backups().size() + " base backups, "
                + s.facts().archive().segmentCount() + " archived WAL segments; " + window(s, s.currentTimeline())
                + ".";
    }

    /** The target in words: what the server will do. */
    static String target(RecoveryTarget t, int timeline) {
        String what = switch (t.kind()) {
            case LATEST -> "replay every archived WAL segment, to the end of the archive";
            case IMMEDIATE -> "stop as soon as the base backup is consistent (its end)";
            case TIME -> "stop at " + time(t.time().toInstant()) + ": the last transaction committed at or before"
                    + " it is kept";
            case XID -> "stop after transaction " + t.text() + " commits";
            case NAME -> "stop at restore point \"" + t.text() + "\"";
            case LSN -> "stop at WAL location " + t.lsn();
        };
        return "Recovery will " + what + ", on timeline " + timeline + ", then promote.";
    }

    /** The ZFS snapshots of the instance's data dataset, in words. */
    static String zfsSnapshots(RestoreWorkflow.ZfsState state) {
        var all = state.snapshots();
        if (all.isEmpty()) {
            return "no ZFS snapshot of " + state.dataset();
        }
        return all.size() + " ZFS snapshot" + (all.size() == 1 ? "" : "s") + " of " + state.dataset() + ", from "
                + time(all.get(0).creation()) + " to " + time(all.get(all.size() - 1).creation());
    }

    /**
     * What a restore from {@code snapshot} does, truthfully (see ZfsRestorePlanner): the dataset comes back as at the
     * snapshot; PostgreSQL replays only the WAL inside it (crash recovery), never the archive.
     */
    static String zfsTarget(ZfsSnapshot snapshot, Instant target) {
        return "The instance comes back as it was at " + time(snapshot.creation()) + ", from ZFS snapshot "
                + snapshot.fullName() + " (the newest at or before " + time(target) + "). On start PostgreSQL"
                + " replays only the WAL inside the snapshot (crash recovery); no archived WAL is replayed, so the"
                + " target is not reached past the snapshot.";
    }

    static String minutes(Instant from, Instant to) {
        long m = Duration.between(from, to).toMinutes();
        return m < 120 ? m + " min" : m < 48 * 60 ? (m / 60) + " h " + (m % 60) + " min" : (m / (24 * 60)) + " days";
    }

    static String backup(BaseBackup b) {
        return b.label() + ": finished " + (b.stopTime() == null ? "at " + b.stopLsn()
                : time(b.stopTime().toInstant())) + ", timeline " + b.timeline()
                + (b.sizeBytes() == null ? "" : ", " + dev.pgdeck.app.common.Formats.bytes(b.sizeBytes()));
    }

    static String progress(RecoveryProgress p) {
        StringBuilder sb = new StringBuilder();
        sb.append(p.restoredSegments()).append(" WAL segments restored");
        if (p.lastRestored() != null) {
            sb.append(" (last ").append(p.lastRestored()).append(')');
        }
        if (p.consistent()) {
            sb.append("; consistent recovery state reached");
        }
        if (p.stoppingLine() != null) {
            sb.append("; ").append(p.stoppingLine());
        }
        if (p.newTimeline() != null) {
            sb.append("; selected new timeline ").append(p.newTimeline());
        }
        return sb.toString();
    }

    static String state(StepResult.Status s) {
        return switch (s) {
            case DONE -> "✔ done";
            case FAILED -> "✖ failed";
            case CANCELLED -> "■ cancelled";
            case NOT_RUN -> "not run";
        };
    }

    static String seconds(double s) {
        return String.format("%.1f s", s);
    }
}
