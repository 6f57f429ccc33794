package dev.pgdeck.remote.restore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.backup.BackupLabel;
import dev.pgdeck.model.backup.BackupLabelParser;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.overview.BaseBackupSummary;
import dev.pgdeck.model.restore.RecoveryFacts;
import dev.pgdeck.model.restore.RestoreTablespaces;
import dev.pgdeck.model.wal.Lsn;
import dev.pgdeck.model.wal.TimelineHistory;
import dev.pgdeck.model.wal.WalArchive;
import dev.pgdeck.model.wal.WalArchiveListing;
import dev.pgdeck.model.wal.WalFileName;
import dev.pgdeck.model.window.RecoverableWindows;
import dev.pgdeck.model.window.WindowPlanner;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.probe.CommandBatch;
import dev.pgdeck.remote.probe.HostOverviewProbe;
import dev.pgdeck.remote.probe.WalDump;
import dev.pgdeck.remote.probe.WalStops;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads what a restore needs about one instance in one round trip: the archive listing, backup and timeline history
 * files, the backup directories and their manifests, pgdeck's restore points, and (when the server answers) its
 * archiver state. Works with the server down: that is when restores are needed most. Then the newest archived
 * segments not read before are read with pg_waldump ({@link WalStops}, usually one more round trip) for the latest
 * time a time target can reach.
 */
public final class RecoveryFactsProbe {
    static final String SQL = "SELECT a.last_archived_wal, extract(epoch FROM a.last_archived_time),"
            + " current_setting('log_timezone'),"
            + " CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END"
            + " FROM pg_stat_archiver a";

    private final HostShell shell;
    private final HostProfile profile;
    private final Map<String, String> overrides;
    private final WalStops walStops;

    public RecoveryFactsProbe(HostShell shell, HostProfile profile, Map<String, String> overrides) {
        this(shell, profile, overrides, new WalStops());
    }

    /** @param walStops the commit times of archived segments read so far on this host (kept between reads) */
    public RecoveryFactsProbe(HostShell shell, HostProfile profile, Map<String, String> overrides,
                              WalStops walStops) {
        this.shell = shell;
        this.profile = profile;
        this.overrides = Map.copyOf(overrides);
        this.walStops = walStops;
    }

    public InstanceRecovery read(String instance, int port) throws HostCommandException {
        Map<String, String> v = profile.values(overrides, instance, port);
        List<CommandBatch.Part> parts = new ArrayList<>();
        parts.add(new CommandBatch.Part("sql", profile.command("sql", v, Map.of("sql", SQL))));
        for (String key : List.of("archiveListing", "archiveTextFiles", "baseBackupFiles", "manifestTails",
                "restorePoints")) {
            parts.add(new CommandBatch.Part(key, profile.command(key, v)));
        }
        if (profile.has("tablespaceLinks")) {
            parts.add(new CommandBatch.Part("tablespaceLinks", profile.command("tablespaceLinks", v)));
        }
        Map<String, CommandBatch.PartResult> r = CommandBatch.run(shell, parts, Duration.ofSeconds(120));
        Map<String, String> errors = new LinkedHashMap<>();

        String[] sql = null;
        CommandBatch.PartResult sqlResult = r.get("sql");
        if (sqlResult.succeeded() && sqlResult.stdout().strip().split("\t", -1).length == 4) {
            sql = sqlResult.stdout().strip().split("\t", -1);
        } else {
            errors.put("sql", "the server did not answer: " + sqlResult.describeFailure());
        }
        ZoneId zone = ZoneOffset.UTC;
        if (sql != null) {
            try {
                zone = ZoneId.of(sql[2]);
            } catch (RuntimeException e) {
                // an unknown zone name: backup labels in UTC still parse
            }
        }
        WalArchive archive = WalArchive.empty();
        try {
            archive = ok(r, "archiveListing", errors) ? WalArchiveListing.parse(r.get("archiveListing").stdout())
                    : archive;
        } catch (ParseException e) {
            errors.put("archiveListing", e.getMessage());
        }
        Map<Integer, TimelineHistory> histories = new TreeMap<>();
        Map<String, BackupLabel> backupHistory = new HashMap<>();
        if (ok(r, "archiveTextFiles", errors)) {
            for (Map.Entry<String, String> f : HostOverviewProbe.historyFiles(r.get("archiveTextFiles").stdout()).entrySet()) {
                WalFileName name = WalFileName.tryParse(f.getKey());
                try {
                    if (name != null && name.kind() == WalFileName.Kind.TIMELINE_HISTORY) {
                        histories.put(name.timeline(), TimelineHistory.parse(name.timeline(), f.getValue()));
                    } else if (name != null && name.kind() == WalFileName.Kind.BACKUP_HISTORY) {
                        backupHistory.put(f.getKey(), BackupLabelParser.parse(f.getKey(), f.getValue(), zone));
                    }
                } catch (ParseException e) {
                    errors.put("archive:" + f.getKey(), e.getMessage());
                }
            }
        }
        List<BaseBackup> backups = new ArrayList<>();
        Map<String, Set<String>> files = new TreeMap<>();
        if (ok(r, "baseBackupFiles", errors)) {
            String listing = r.get("baseBackupFiles").stdout();
            try {
                Map<String, Long> sizes = HostOverviewProbe.backupSizes(listing);
                Map<String, String> manifests = ok(r, "manifestTails", errors)
                        ? HostOverviewProbe.manifestTails(r.get("manifestTails").stdout()) : null;
                HostOverviewProbe.baseBackups(sizes, manifests, backupHistory, errors, backups,
                        new ArrayList<BaseBackupSummary>());
            } catch (ParseException e) {
                errors.put("baseBackupFiles", e.getMessage());
            }
            for (String line : listing.split("\n")) {
                int slash = line.indexOf('/');
                int space = line.lastIndexOf(' ');
                if (slash > 0 && space > slash) {
                    files.computeIfAbsent(line.substring(0, slash), k -> new TreeSet<>())
                            .add(line.substring(slash + 1, space));
                }
            }
        }
        Map<String, Lsn> points = restorePoints(r.get("restorePoints"), errors);
        String lastArchivedWal = sql == null || sql[0].isEmpty() ? null : sql[0];
        Instant lastArchivedTime = sql == null || sql[1].isEmpty() ? null : epoch(sql[1]);
        Integer serverTimeline = sql != null && !sql[3].isEmpty() ? Integer.parseInt(sql[3].substring(0, 8), 16)
                : null;
        WalArchive listed = archive;
        RecoverableWindows windows = walStops.plan(new WalDump(shell, profile, v),
                (stops, readAhead) -> WindowPlanner.plan(backups, listed, serverTimeline, lastArchivedWal,
                        lastArchivedTime, histories, stops, readAhead), errors);
        int current = windows.currentTimeline();
        RecoveryFacts facts = new RecoveryFacts(backups, archive, histories, windows, points);
        Map<String, String> tablespaces = ok(r, "tablespaceLinks", errors)
                ? RestoreTablespaces.parseLinks(r.get("tablespaceLinks").stdout()) : null;
        return new InstanceRecovery(instance, port, facts, files, v.get("dataDir"), v.get("walArchive"),
                v.get("baseBackups"), current, sql != null, errors, null, tablespaces);
    }

    /**
     * What the host itself still says about an instance whose backups are read from elsewhere (restic): pgdeck's
     * restore points (empty when their log is gone with the instance) and whether its server answers, in one round
     * trip. A server that does not answer puts its reason under "sql" in {@code errors}.
     */
    HostSide hostSideOf(Map<String, String> v, Map<String, String> errors) throws HostCommandException {
        List<CommandBatch.Part> parts = new ArrayList<>(List.of(
                new CommandBatch.Part("restorePoints", profile.command("restorePoints", v)),
                new CommandBatch.Part("sql", profile.command("sql", v, Map.of("sql", "SELECT 1")))));
        if (profile.has("tablespaceLinks")) {
            parts.add(new CommandBatch.Part("tablespaceLinks", profile.command("tablespaceLinks", v)));
        }
        Map<String, CommandBatch.PartResult> r = CommandBatch.run(shell, parts, Duration.ofSeconds(30));
        CommandBatch.PartResult sql = r.get("sql");
        boolean running = sql.succeeded() && sql.stdout().strip().equals("1");
        if (!running) {
            errors.put("sql", "the server did not answer: " + sql.describeFailure());
        }
        Map<String, String> tablespaces = ok(r, "tablespaceLinks", errors)
                ? RestoreTablespaces.parseLinks(r.get("tablespaceLinks").stdout()) : null;
        return new HostSide(restorePoints(r.get("restorePoints"), new LinkedHashMap<>()), running, tablespaces);
    }

    /** @param tablespaces the instance's tablespace links, null when they could not be read */
    record HostSide(Map<String, Lsn> restorePoints, boolean running, Map<String, String> tablespaces) {
    }

    private static boolean ok(Map<String, CommandBatch.PartResult> r, String key, Map<String, String> errors) {
        CommandBatch.PartResult p = r.get(key);
        if (p == null) {
            return false;
        }
        if (!p.succeeded()) {
            errors.put(key, p.describeFailure());
            return false;
        }
        return true;
    }

    private static Map<String, Lsn> restorePoints(CommandBatch.PartResult r, Map<String, String> errors) {
        Map<String, Lsn> points = new LinkedHashMap<>();
        if (r == null || !r.succeeded()) {
            if (r != null && !r.stderr().contains("No such file")) {
                errors.put("restorePoints", r.describeFailure());
            }
            return points;
        }
        for (String line : r.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = Json.mapper().readTree(line);
                Lsn lsn = Lsn.tryParse(node.path("lsn").asText(null));
                if (lsn != null && node.hasNonNull("name")) {
                    points.put(node.get("name").asText(), lsn);
                }
            } catch (JsonProcessingException e) {
                errors.put("restorePoints", "pgdeck's restore-point log has a damaged line: " + line);
            }
        }
        return points;
    }

    private static Instant epoch(String text) {
        BigDecimal seconds = new BigDecimal(text);
        long whole = seconds.longValue();
        return Instant.ofEpochSecond(whole, seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue());
    }
}
