package dev.pgdeck.remote.restore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.backup.BackupLabel;
import dev.pgdeck.model.backup.BackupLabelParser;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.overview.BaseBackupSummary;
import dev.pgdeck.model.restic.ResticSeries;
import dev.pgdeck.model.restic.ResticSnapshot;
import dev.pgdeck.model.restic.ResticSnapshotsParser;
import dev.pgdeck.model.restore.RecoveryFacts;
import dev.pgdeck.model.restore.ResticSource;
import dev.pgdeck.model.wal.Lsn;
import dev.pgdeck.model.wal.TimelineHistory;
import dev.pgdeck.model.wal.WalArchive;
import dev.pgdeck.model.wal.WalArchiveListing;
import dev.pgdeck.model.wal.WalFileName;
import dev.pgdeck.model.window.WindowPlanner;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.probe.CommandBatch;
import dev.pgdeck.remote.probe.HostOverviewProbe;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
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
 * Reads an instance's recoverability from its restic snapshots (seed 002, scenario 4: the local backups and archive
 * are gone): {@code restic ls} of the WAL snapshot gives the archive listing (restic keeps the files' mtimes, i.e.
 * when they were archived), {@code restic ls} of the base-backup snapshot the backup directories, and
 * {@code restic dump} the manifests, backup and timeline history files. pgdeck's restore points and whether the
 * server still answers are read from the host as usual (the points may be gone with the instance).
 */
final class ResticFactsProbe {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final HostShell shell;
    private final HostProfile profile;
    private final Map<String, String> values;

    ResticFactsProbe(HostShell shell, HostProfile profile, Map<String, String> values) {
        this.shell = shell;
        this.profile = profile;
        this.values = values;
    }

    InstanceRecovery read(String instance, int port, String baseSnapshot, String walSnapshot)
            throws HostCommandException {
        if (!profile.has("resticRestore")) {
            throw new IllegalArgumentException("host profile " + profile.name() + " has no restic repository");
        }
        String walArchive = values.get("walArchive");
        String baseBackups = values.get("baseBackups");
        ResticSeries series = series(instance);
        String base = baseSnapshot != null ? baseSnapshot : idOf(series.latestBaseBackup(), "base-backup", instance);
        String wal = walSnapshot != null ? walSnapshot : idOf(series.latestWalArchive(), "wal-archive", instance);

        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, Node> walFiles = files(ls(wal), walArchive, false);
        Map<String, Node> backupFiles = files(ls(base), baseBackups, true);
        if (walFiles.isEmpty()) {
            throw new HostCommandException("restic snapshot " + wal + " holds no files in " + walArchive);
        }
        StringBuilder listing = new StringBuilder();
        StringBuilder sizes = new StringBuilder();
        walFiles.forEach((name, n) -> listing.append(name).append(' ').append(n.size).append(' ')
                .append(n.mtime.getEpochSecond()).append('.').append(String.format("%09d", n.mtime.getNano()))
                .append('\n'));
        Map<String, Set<String>> filesByBackup = new TreeMap<>();
        backupFiles.forEach((rel, n) -> {
            sizes.append(rel).append(' ').append(n.size).append('\n');
            int slash = rel.indexOf('/');
            filesByBackup.computeIfAbsent(rel.substring(0, slash), k -> new TreeSet<>()).add(rel.substring(slash + 1));
        });

        // the small text files, in one round trip
        List<CommandBatch.Part> parts = new ArrayList<>();
        for (String name : walFiles.keySet()) {
            WalFileName f = WalFileName.tryParse(name);
            if (f != null && (f.kind() == WalFileName.Kind.BACKUP_HISTORY || f.kind() == WalFileName.Kind.TIMELINE_HISTORY)) {
                parts.add(new CommandBatch.Part("wal:" + name, dump(wal, walArchive + "/" + name)));
            }
        }
        for (String rel : backupFiles.keySet()) {
            if (rel.endsWith("/backup_manifest")) {
                parts.add(new CommandBatch.Part("base:" + rel, dump(base, baseBackups + "/" + rel)));
            }
        }
        Map<String, CommandBatch.PartResult> texts = CommandBatch.run(shell, parts, TIMEOUT);
        Map<Integer, TimelineHistory> histories = new TreeMap<>();
        Map<String, BackupLabel> backupHistory = new HashMap<>();
        Map<String, String> manifests = new HashMap<>();
        for (CommandBatch.PartResult r : texts.values()) {
            if (!r.succeeded()) {
                errors.put(r.key(), r.describeFailure());
                continue;
            }
            String key = r.key().substring(r.key().indexOf(':') + 1);
            try {
                if (r.key().startsWith("base:")) {
                    String tail = r.stdout();
                    manifests.put(key, tail.length() > 4096 ? tail.substring(tail.length() - 4096) : tail);
                } else {
                    WalFileName f = WalFileName.tryParse(key);
                    if (f.kind() == WalFileName.Kind.TIMELINE_HISTORY) {
                        histories.put(f.timeline(), TimelineHistory.parse(f.timeline(), r.stdout()));
                    } else {
                        backupHistory.put(key, BackupLabelParser.parse(key, r.stdout(), ZoneOffset.UTC));
                    }
                }
            } catch (ParseException e) {
                errors.put(r.key(), e.getMessage());
            }
        }
        WalArchive archive;
        List<BaseBackup> backups = new ArrayList<>();
        try {
            archive = WalArchiveListing.parse(listing.toString());
            HostOverviewProbe.baseBackups(HostOverviewProbe.backupSizes(sizes.toString()), manifests, backupHistory,
                    errors, backups, new ArrayList<BaseBackupSummary>());
        } catch (ParseException e) {
            throw new HostCommandException("restic's listing could not be read: " + e.getMessage());
        }
        Instant lastArchived = walFiles.values().stream().map(n -> n.mtime).max(Instant::compareTo).orElse(null);
        var windows = WindowPlanner.plan(backups, archive, null, lastArchived, histories);
        Map<String, String> hostErrors = new LinkedHashMap<>();
        var host = new RecoveryFactsProbe(shell, profile, Map.of()).hostSideOf(values, hostErrors);
        RecoveryFacts facts = new RecoveryFacts(backups, archive, histories, windows, host.restorePoints());
        return new InstanceRecovery(instance, port, facts, filesByBackup, values.get("dataDir"), walArchive,
                baseBackups, windows.currentTimeline(), host.running(), merged(errors, hostErrors),
                new ResticSource(base, wal), host.tablespaces());
    }

    /** The host's own state ("sql") is kept apart from what restic could not give, and never blocks a restore. */
    private static Map<String, String> merged(Map<String, String> restic, Map<String, String> host) {
        Map<String, String> all = new LinkedHashMap<>(restic);
        host.forEach(all::putIfAbsent);
        return all;
    }

    private record Node(long size, Instant mtime) {
    }

    private ResticSeries series(String instance) throws HostCommandException {
        CommandResult r = shell.run(profile.command("resticSnapshots", values), TIMEOUT);
        if (!r.succeeded()) {
            throw new HostCommandException("listing restic snapshots failed: " + r.describeFailure());
        }
        try {
            return ResticSeries.of(ResticSnapshotsParser.parse(r.stdout()), instance);
        } catch (ParseException e) {
            throw new HostCommandException(e.getMessage());
        }
    }

    private static String idOf(ResticSnapshot s, String tag, String instance) throws HostCommandException {
        if (s == null) {
            throw new HostCommandException("the restic repository has no snapshot tagged postgresql, " + instance
                    + ", " + tag);
        }
        return s.id();
    }

    private String ls(String snapshot) throws HostCommandException {
        CommandResult r = shell.run(profile.command("resticLs", values, Map.of("snapshot", snapshot)), TIMEOUT);
        if (!r.succeeded()) {
            throw new HostCommandException("listing restic snapshot " + snapshot + " failed: " + r.describeFailure());
        }
        return r.stdout();
    }

    private dev.pgdeck.model.HostCommand dump(String snapshot, String path) {
        return profile.command("resticDump", values, Map.of("snapshot", snapshot, "path", path));
    }

    /**
     * Files under {@code dir} from {@code restic ls --json}: directly inside it (the archive), or one directory
     * down as {@code <dir name>/<file>} (the backup directories).
     */
    private static Map<String, Node> files(String lsJson, String dir, boolean oneDown) throws HostCommandException {
        Map<String, Node> files = new TreeMap<>();
        String prefix = dir.endsWith("/") ? dir : dir + "/";
        for (String line : lsJson.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = Json.mapper().readTree(line);
                String path = n.path("path").asText("");
                if (!"file".equals(n.path("type").asText()) || !path.startsWith(prefix)) {
                    continue;
                }
                String rel = path.substring(prefix.length());
                int slashes = (int) rel.chars().filter(c -> c == '/').count();
                if (slashes == (oneDown ? 1 : 0)) {
                    files.put(rel, new Node(n.path("size").asLong(), OffsetDateTime.parse(n.path("mtime").asText())
                            .toInstant()));
                }
            } catch (JsonProcessingException | RuntimeException e) {
                throw new HostCommandException("restic ls printed a line pgdeck cannot read: " + line);
            }
        }
        return files;
    }
}
