package dev.pgdeck.app.instance;

import dev.pgdeck.app.common.Formats;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.overview.ArchiverStatus;
import dev.pgdeck.model.overview.LastDrill;
import dev.pgdeck.model.overview.ServerSummary;
import dev.pgdeck.model.overview.WalArchiveSummary;
import dev.pgdeck.model.overview.WindowSummary;
import dev.pgdeck.model.zfs.ZfsSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The detail pane's figures in words, from one instance's overview. Parts that could not be read say why. */
final class InstanceFacts {
    private InstanceFacts() {}

    static List<Fact> overview(HostStatus host, InstanceStatus i) {
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("factVersion", "Version", i.version() == null ? "unknown" : "PostgreSQL " + i.version()));
        facts.add(new Fact("factState", "State", !i.running() ? "down" + (i.error() == null ? "" : ": " + i.error())
                : Boolean.TRUE.equals(i.inRecovery()) ? "running, in recovery" : "running, primary"));
        ServerSummary server = i.server();
        if (server != null) {
            facts.add(new Fact("factUptime", "Up for", server.startedAt() == null ? "" : Formats.span(
                    Duration.between(server.startedAt().toInstant(), host.checkedAt())) + " (since "
                    + Formats.time(server.startedAt()) + ")"));
            facts.add(new Fact("factConnections", "Client connections", server.connections() == null ? ""
                    : server.connections() + (server.maxConnections() == null ? "" : " of " + server.maxConnections())));
        }
        facts.add(new Fact("factTimeline", "Timeline", i.timeline() == null ? "" : Integer.toString(i.timeline())));
        facts.add(new Fact("factDataSize", "All databases", Formats.bytes(i.dataSizeBytes())));
        if (server != null) {
            for (Map.Entry<String, Long> db : server.databaseSizes().entrySet()) {
                facts.add(new Fact("factDb-" + db.getKey(), "  " + db.getKey(), Formats.bytes(db.getValue())));
            }
        }
        facts.add(new Fact("factWindow", "Recoverable window", window(i.recoverableWindow())));
        facts.add(new Fact("factLastDrill", "Last recovery drill", lastDrill(host, i)));
        facts.add(new Fact("factChecked", "Read at", Formats.time(host.checkedAt())
                + (host.staleSince() == null ? "" : " (stale since " + Formats.clock(host.staleSince()) + ")")));
        return facts;
    }

    /** When the last successful drill ran, how long ago, to what target and how long recovery took. */
    static String lastDrill(HostStatus host, InstanceStatus i) {
        if (i.errors().containsKey("drills")) {
            return unreadable(i, "drills");
        }
        LastDrill d = i.lastDrill();
        if (d == null) {
            return i.health() == null ? "unknown" : "never (pgdeck drill runs one into a scratch copy)";
        }
        return Formats.time(d.at()) + " (" + Formats.ago(d.age(host.checkedAt())) + "), target " + d.target()
                + (d.reached() ? ", reached" : ", not reached")
                + (d.rtoSeconds() == null ? "" : String.format(", recovery took %.1f s", d.rtoSeconds()));
    }

    /**
     * The ZFS tab's summary: how many snapshots, how many of them are on the replication target and whether the
     * missing ones are only the newest (syncoid has not run since) or older ones too (a send was missed).
     */
    static String zfs(HostStatus host, InstanceStatus i) {
        List<ZfsSnapshot> all = i.zfsSnapshots();
        if (all == null) {
            return unreadable(i, "zfs");
        }
        String count = Formats.count(all.size()) + " ZFS snapshots of the instance's datasets";
        if (i.zfsReplicaTarget() == null) {
            return count + "; no replication target configured";
        }
        String target = i.zfsReplicaTarget();
        if (host.errors().containsKey("zfsReplica")) {
            return count + "; replication to " + target + " not compared: " + host.errors().get("zfsReplica");
        }
        List<ZfsSnapshot> compared = all.stream().filter(z -> z.replicated() != null).toList();
        List<ZfsSnapshot> missing = compared.stream().filter(z -> !z.replicated()).toList();
        String line = Formats.count(compared.size() - missing.size()) + " of " + Formats.count(compared.size())
                + " replicated to " + target;
        if (compared.size() < all.size()) {
            line += " (" + Formats.count(all.size() - compared.size()) + " outside " + target + "'s source)";
        }
        if (missing.isEmpty()) {
            return line;
        }
        long older = missing.stream().filter(z -> olderThanAReplicated(z, compared)).count();
        long newest = missing.size() - older;
        List<String> parts = new ArrayList<>();
        if (newest > 0) {
            parts.add(Formats.count(newest) + " newest not yet");
        }
        if (older > 0) {
            parts.add(Formats.count(older) + " older than a replicated one and missing on the target");
        }
        return line + "; " + String.join(", ", parts);
    }

    /** Whether a later snapshot of the same dataset is replicated: then this one was skipped, not just late. */
    private static boolean olderThanAReplicated(ZfsSnapshot missing, List<ZfsSnapshot> compared) {
        return compared.stream().anyMatch(z -> Boolean.TRUE.equals(z.replicated())
                && z.dataset().equals(missing.dataset()) && z.creation().isAfter(missing.creation()));
    }

    static List<Fact> archiver(InstanceStatus i) {
        ArchiverStatus a = i.archiver();
        if (a == null) {
            return List.of(new Fact("factArchiver", "pg_stat_archiver", unreadable(i, "sql")));
        }
        return List.of(
                new Fact("factArchivedCount", "Archived", Formats.count(a.archivedCount())),
                new Fact("factFailedCount", "Failed", Formats.count(a.failedCount())),
                new Fact("factLastArchived", "Last archived", orDash(a.lastArchivedWal())
                        + (a.lastArchivedTime() == null ? "" : " at " + Formats.time(a.lastArchivedTime()))),
                new Fact("factLastFailed", "Last failed", orDash(a.lastFailedWal())
                        + (a.lastFailedTime() == null ? "" : " at " + Formats.time(a.lastFailedTime()))),
                new Fact("factLagBytes", "Lag", a.lagBytes() == null ? "unknown (in recovery?)"
                        : Formats.bytes(a.lagBytes()) + ", " + a.lagSegments() + " segments, "
                        + (a.lagSeconds() == null ? "?" : a.lagSeconds()) + " s"),
                new Fact("factReadyFiles", ".ready files", a.readyFiles() == null ? unreadable(i, "readyFiles")
                        : Integer.toString(a.readyFiles())));
    }

    static List<Fact> archive(InstanceStatus i) {
        WalArchiveSummary w = i.walArchive();
        if (w == null) {
            return List.of(new Fact("factArchive", "Archive directory", unreadable(i, "walArchive")));
        }
        return List.of(
                new Fact("factSegments", "Segments", Formats.count(w.segments())),
                new Fact("factArchiveBytes", "Size", Formats.bytes(w.bytes())),
                new Fact("factOldest", "Oldest", orDash(w.oldest())),
                new Fact("factNewest", "Newest", orDash(w.newest())),
                new Fact("factGapCount", "Gaps", w.gaps().isEmpty() ? "none" : Integer.toString(w.gaps().size())),
                new Fact("factHistoryFiles", "Timeline history", w.timelineHistoryFiles().isEmpty() ? "none"
                        : String.join(", ", w.timelineHistoryFiles())));
    }

    /** Each gap in the segment sequence, in words. */
    static List<String> gaps(InstanceStatus i) {
        List<String> out = new ArrayList<>();
        if (i.walArchive() != null) {
            for (WalArchiveSummary.Gap g : i.walArchive().gaps()) {
                out.add("timeline " + g.timeline() + ": " + g.missingSegments()
                        + (g.missingSegments() == 1 ? " segment" : " segments") + " missing after " + g.after()
                        + ", before " + g.before());
            }
        }
        WindowSummary window = i.recoverableWindow();
        if (window != null) {
            for (WindowSummary.Gap g : window.gaps()) {
                out.add("no recovery from " + Formats.time(g.from()) + " to "
                        + (g.to() == null ? "the next base backup" : Formats.time(g.to())) + " (first missing "
                        + g.firstMissingSegment() + ")");
            }
        }
        return out;
    }

    static String window(WindowSummary window) {
        if (window == null) {
            return "unknown";
        }
        if (window.earliest() == null) {
            return window.notes().isEmpty() ? "nothing recoverable" : String.join("; ", window.notes());
        }
        int gaps = window.gaps().size();
        return Formats.time(window.earliest()) + " → " + Formats.time(window.latest()) + " on timeline "
                + window.timeline() + (gaps == 0 ? "" : ", broken by " + gaps + (gaps == 1 ? " gap" : " gaps"))
                + (window.latestTimeTarget() == null ? ""
                        : "; latest time target " + Formats.time(window.latestTimeTarget()) + " (last archived commit)");
    }

    /** Why a part is missing: the error the probe kept for it. */
    static String unreadable(InstanceStatus i, String part) {
        String why = i.errors().get(part);
        return why != null ? "not read: " + why : i.error() != null ? "not read: " + i.error() : "not read";
    }

    private static String orDash(String s) {
        return s == null ? "—" : s;
    }
}
