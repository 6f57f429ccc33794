package dev.pgdeck.remote.probe;

import dev.pgdeck.model.ArchiverStats;
import dev.pgdeck.model.BaseBackupNames;
import dev.pgdeck.model.HostCapabilities;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.backup.BackupLabel;
import dev.pgdeck.model.backup.BackupLabelParser;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.backup.ManifestTail;
import dev.pgdeck.model.backup.WalRange;
import dev.pgdeck.model.health.ArchiveLag;
import dev.pgdeck.model.health.Health;
import dev.pgdeck.model.health.HealthEvaluator;
import dev.pgdeck.model.health.HealthInput;
import dev.pgdeck.model.health.HealthThresholds;
import dev.pgdeck.model.metrics.Metrics;
import dev.pgdeck.model.metrics.PrometheusTextParser;
import dev.pgdeck.model.metrics.Sample;
import dev.pgdeck.model.overview.ArchiverStatus;
import dev.pgdeck.model.overview.BaseBackupSummary;
import dev.pgdeck.model.overview.HealthSummary;
import dev.pgdeck.model.overview.LastDrill;
import dev.pgdeck.model.overview.MetricSample;
import dev.pgdeck.model.overview.ServerSummary;
import dev.pgdeck.model.overview.WalArchiveSummary;
import dev.pgdeck.model.overview.WindowSummary;
import dev.pgdeck.model.restic.ResticSeries;
import dev.pgdeck.model.restic.ResticSnapshot;
import dev.pgdeck.model.restic.ResticSnapshotsParser;
import dev.pgdeck.model.systemd.FailedUnit;
import dev.pgdeck.model.systemd.SystemctlParser;
import dev.pgdeck.model.systemd.TimerStatus;
import dev.pgdeck.model.wal.Lsn;
import dev.pgdeck.model.wal.ArchiveBacklog;
import dev.pgdeck.model.wal.TimelineHistory;
import dev.pgdeck.model.wal.WalArchive;
import dev.pgdeck.model.wal.WalArchiveListing;
import dev.pgdeck.model.wal.WalFileName;
import dev.pgdeck.model.wal.WalSegment;
import dev.pgdeck.model.window.RecoverableWindows;
import dev.pgdeck.model.window.WindowPlanner;
import dev.pgdeck.model.zfs.ZfsListParser;
import dev.pgdeck.model.zfs.ZfsReplication;
import dev.pgdeck.model.zfs.ZfsSnapshot;
import dev.pgdeck.remote.drill.DrillLines;
import dev.pgdeck.remote.drill.DrillRecord;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.pg.PgVersion;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The whole overview of one host in one round trip: every command of every instance (SQL through the host's psql,
 * the WAL archive, backup and timeline history files, base backup directories and their manifests' WAL ranges, the
 * {@code .ready} files) and of the host (ZFS, restic, systemd timers and failed units, textfile metrics) goes to the
 * host as one {@link CommandBatch}, each built from the {@link HostProfile}. Each part fails on its own: its error is
 * kept under its key in {@code errors} and everything else is still shown. Then the recoverable window
 * ({@link WindowPlanner}) and the health ({@link HealthEvaluator}) are computed here, on the console's side.
 */
public final class HostOverviewProbe {
    /** One instance to probe: its name and port, as in the host inventory. */
    public record Instance(String name, int port) {
    }

    static final String SQL = "SELECT current_setting('server_version'), pg_is_in_recovery(),"
            + " (SELECT sum(pg_database_size(oid))::bigint FROM pg_database WHERE datallowconn),"
            + " CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END,"
            + " CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn() END,"
            + " (SELECT timeline_id FROM pg_control_checkpoint()),"
            + " a.archived_count, a.last_archived_wal, extract(epoch FROM a.last_archived_time),"
            + " a.failed_count, a.last_failed_wal, extract(epoch FROM a.last_failed_time),"
            + " extract(epoch FROM now()), current_setting('log_timezone'),"
            + " extract(epoch FROM pg_postmaster_start_time()),"
            + " (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'),"
            + " current_setting('max_connections'),"
            + " (SELECT json_object_agg(datname, pg_database_size(oid)) FROM pg_database WHERE datallowconn)"
            + " FROM pg_stat_archiver a";
    private static final String FILE_MARK = "\n@@pgdeck-file ";
    /** The JDBC queries beside the batch, and the instances' models after it. */
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "overview-worker");
        thread.setDaemon(true);
        return thread;
    });

    private final HostShell shell;
    private final HostProfile profile;
    private final Map<String, String> overrides;
    private final HealthThresholds thresholds;
    private final Clock clock;
    private final Duration timeout;
    /** Instances read over JDBC (by name); the others' SQL goes through psql in the batch. */
    private final Map<String, LoggedSql> databases;
    /** The archived segments' commit times read so far; null: the WAL is not read (time edges unknown). */
    private final WalStops walStops;

    public HostOverviewProbe(HostShell shell, HostProfile profile, Map<String, String> overrides,
                             HealthThresholds thresholds, Clock clock, Duration timeout) {
        this(shell, profile, overrides, thresholds, clock, timeout, Map.of(), null);
    }

    private HostOverviewProbe(HostShell shell, HostProfile profile, Map<String, String> overrides,
                              HealthThresholds thresholds, Clock clock, Duration timeout,
                              Map<String, LoggedSql> databases, WalStops walStops) {
        this.shell = shell;
        this.profile = profile;
        this.overrides = Map.copyOf(overrides);
        this.thresholds = thresholds;
        this.clock = clock;
        this.timeout = timeout;
        this.databases = Map.copyOf(databases);
        this.walStops = walStops;
    }

    /**
     * This probe, with the SQL of the instances in {@code databases} read over JDBC (read-only pools, see
     * {@code HostDatabases}) while the shell batch runs, instead of through psql in the batch: still one SSH round
     * trip.
     */
    public HostOverviewProbe withDatabases(Map<String, LoggedSql> databases) {
        return new HostOverviewProbe(shell, profile, overrides, thresholds, clock, timeout, databases, walStops);
    }

    /**
     * This probe, reading the latest time a time target can reach from the archived WAL with pg_waldump
     * ({@link WalStops}): only segments {@code walStops} has not read before, so a refresh after nothing new was
     * archived adds no round trip. Keep one {@code walStops} per host across refreshes.
     */
    public HostOverviewProbe withWalStops(WalStops walStops) {
        return new HostOverviewProbe(shell, profile, overrides, thresholds, clock, timeout, databases, walStops);
    }

    public HostOverviewProbe(HostShell shell, HostProfile profile, Map<String, String> overrides) {
        this(shell, profile, overrides, HealthThresholds.defaults(), Clock.systemUTC(), Duration.ofSeconds(60));
    }

    /** The commands of one refresh, in the order they run; what the command log shows. */
    public List<CommandBatch.Part> parts(List<Instance> instances) {
        List<CommandBatch.Part> parts = new ArrayList<>();
        Map<String, String> hostValues = profile.values(overrides, null, 0);
        for (String key : List.of("zfsSnapshots", "resticSnapshots", "timers", "failedUnits", "metrics")) {
            addPart(parts, "host:" + key, key, hostValues, Map.of());
        }
        if (cachedCapabilities() == null) {
            parts.add(new CommandBatch.Part("host:capabilities", CapabilitiesProbe.command(
                    CapabilitiesProbe.ofProfile(profile, hostValues), capabilityDirs(instances))));
        }
        ZfsReplicaTarget replica = ZfsReplicaTarget.of(profile, hostValues);
        if (replica != null) {
            parts.add(new CommandBatch.Part("host:zfsReplica", replica.command()));
        }
        for (int i = 0; i < instances.size(); i++) {
            Instance inst = instances.get(i);
            Map<String, String> v = profile.values(overrides, inst.name(), inst.port());
            if (!databases.containsKey(inst.name())) {
                addPart(parts, i + ":sql", "sql", v, Map.of("sql", SQL));
            }
            for (String key : List.of("readyFiles", "archiveListing", "archiveTextFiles", "baseBackupFiles",
                    "manifestTails", "drills")) {
                addPart(parts, i + ":" + key, key, v, Map.of());
            }
        }
        return parts;
    }

    private void addPart(List<CommandBatch.Part> parts, String key, String command, Map<String, String> values,
                         Map<String, String> extra) {
        if (profile.has(command)) {
            parts.add(new CommandBatch.Part(key, profile.command(command, values, extra)));
        }
    }

    public HostStatus probe(List<Instance> instances) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        Map<String, CommandBatch.PartResult> results;
        Map<String, CompletableFuture<String>> jdbc = new HashMap<>();
        for (Instance inst : instances) {
            LoggedSql db = databases.get(inst.name());
            if (db != null) {
                jdbc.put(inst.name(), CompletableFuture.supplyAsync(() -> JdbcOverviewRow.read(db), WORKERS));
            }
        }
        try {
            results = CommandBatch.run(shell, parts(instances), timeout);
        } catch (HostCommandException e) {
            jdbc.values().forEach(f -> f.cancel(true));
            List<InstanceStatus> down = instances.stream().map(i -> new InstanceStatus(i.name(), i.port(), null, false,
                    null, (ArchiverStats) null, null, "host not reachable: " + e.getMessage())).toList();
            return new HostStatus(shell.hostName(), false, e.getMessage(), started, down, null, null, null, null,
                    null, new HostStatus.ProbeStats(1, (System.nanoTime() - t0) / 1_000_000, 0));
        }
        long t1;
        Map<String, String> jdbcRows = JdbcOverviewRow.await(jdbc, t0 + timeout.toNanos());
        t1 = System.nanoTime();
        Instant now = clock.instant();
        Map<String, String> hostErrors = new LinkedHashMap<>();
        List<ZfsSnapshot> zfs = part(results, "host:zfsSnapshots", "ZFS", hostErrors, "zfs",
                ZfsListParser::parse);
        List<ZfsSnapshot> replica = part(results, "host:zfsReplica", "ZFS replication target", hostErrors,
                "zfsReplica", ZfsListParser::parse);
        if (zfs != null && replica != null) {
            ZfsReplicaTarget target = ZfsReplicaTarget.of(profile, profile.values(overrides, null, 0));
            zfs = ZfsReplication.markReplicated(zfs, replica, target.sourceRoot(), target.targetRoot());
        }
        List<ResticSnapshot> restic = part(results, "host:resticSnapshots", "restic", hostErrors, "restic",
                ResticSnapshotsParser::parse);
        List<TimerStatus> timers = part(results, "host:timers", "systemd", hostErrors, "timers",
                SystemctlParser::timers);
        List<FailedUnit> failed = part(results, "host:failedUnits", "systemd", hostErrors, "failedUnits",
                SystemctlParser::failedUnits);
        Metrics metrics = part(results, "host:metrics", "textfile metrics", hostErrors, "metrics",
                out -> metrics(out, hostErrors));
        // Each instance's model is built on its own thread (they share nothing but read-only inputs); the first here.
        List<ZfsSnapshot> allZfs = zfs;
        List<CompletableFuture<InstanceStatus>> others = new ArrayList<>();
        for (int i = 1; i < instances.size(); i++) {
            int index = i;
            others.add(CompletableFuture.supplyAsync(() -> instance(index, instances.get(index), results, jdbcRows,
                    now, allZfs, restic, timers, failed, metrics, hostErrors), WORKERS));
        }
        List<InstanceStatus> statuses = new ArrayList<>();
        if (!instances.isEmpty()) {
            statuses.add(instance(0, instances.get(0), results, jdbcRows, now, allZfs, restic, timers, failed,
                    metrics, hostErrors));
        }
        for (CompletableFuture<InstanceStatus> other : others) {
            try {
                statuses.add(other.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        long t2 = System.nanoTime();
        HostCapabilities capabilities = cachedCapabilities();
        if (capabilities == null) {
            capabilities = part(results, "host:capabilities", "capabilities", hostErrors, "capabilities",
                    out -> CapabilitiesProbe.parse(out, CapabilitiesProbe.ofProfile(profile,
                            profile.values(overrides, null, 0))));
            if (capabilities != null) {
                synchronized (CAPABILITIES) {
                    CAPABILITIES.put(shell, new Cached(capabilities, capabilityKey(), now));
                }
            }
        }
        return new HostStatus(shell.hostName(), true, null, started, statuses, timers, failed,
                metrics == null ? null : MetricSample.byName(metrics), hostErrors, null,
                new HostStatus.ProbeStats(1, (t2 - t0) / 1_000_000, (t2 - t1) / 1_000_000), capabilities);
    }

    /**
     * What a host can run changes rarely, and asking sudo about each program takes tens of ms: the answer is kept
     * per connection (weakly: it goes with the shell) for {@link #CAPABILITIES_FOR} and for the same profile and
     * variables, so a refresh asks again only then.
     */
    private static final Map<HostShell, Cached> CAPABILITIES = new java.util.WeakHashMap<>();
    static final Duration CAPABILITIES_FOR = Duration.ofMinutes(10);

    private record Cached(HostCapabilities capabilities, String key, Instant at) {
    }

    private String capabilityKey() {
        return profile.name() + " " + new TreeMap<>(overrides);
    }

    private HostCapabilities cachedCapabilities() {
        synchronized (CAPABILITIES) {
            Cached c = CAPABILITIES.get(shell);
            return c != null && c.key().equals(capabilityKey())
                    && c.at().plus(CAPABILITIES_FOR).isAfter(clock.instant()) ? c.capabilities() : null;
        }
    }

    /** The free space that matters: beside each instance's data directory and in its base backups. */
    private List<String> capabilityDirs(List<Instance> instances) {
        List<String> dirs = new ArrayList<>();
        for (Instance inst : instances) {
            Map<String, String> v = profile.values(overrides, inst.name(), inst.port());
            String data = v.get("dataDir");
            if (data != null && data.lastIndexOf('/') > 0 && !dirs.contains(data.substring(0, data.lastIndexOf('/')))) {
                dirs.add(data.substring(0, data.lastIndexOf('/')));
            }
            String backups = v.get("baseBackups");
            if (backups != null && !dirs.contains(backups)) {
                dirs.add(backups);
            }
        }
        return dirs;
    }

    private InstanceStatus instance(int index, Instance inst, Map<String, CommandBatch.PartResult> results,
                                    Map<String, String> jdbcRows, Instant now, List<ZfsSnapshot> allZfs, List<ResticSnapshot> allRestic,
                                    List<TimerStatus> timers, List<FailedUnit> failed, Metrics metrics,
                                    Map<String, String> hostErrors) {
        String p = index + ":";
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, String> values = profile.values(overrides, inst.name(), inst.port());
        SqlRow sql = databases.containsKey(inst.name()) ? jdbcRow(jdbcRows.get(inst.name()), errors)
                : part(results, p + "sql", "SQL (psql)", errors, "sql", SqlRow::parse);
        List<String> ready = part(results, p + "readyFiles", ".ready files", errors, "readyFiles",
                out -> out.lines().filter(l -> !l.isBlank()).toList());
        WalArchive archive = part(results, p + "archiveListing", "WAL archive", errors, "walArchive",
                WalArchiveListing::parse);
        Map<String, String> textFiles = part(results, p + "archiveTextFiles", "backup/timeline history files",
                errors, "archiveTextFiles", HostOverviewProbe::historyFiles);
        Map<String, Long> backupSizes = part(results, p + "baseBackupFiles", "base backups", errors, "baseBackups",
                HostOverviewProbe::backupSizes);
        Map<String, String> manifests = part(results, p + "manifestTails", "backup manifests", errors,
                "manifests", HostOverviewProbe::manifestTails);

        Drills drills = drills(results.get(p + "drills"), errors);

        ZoneId zone = sql == null ? ZoneOffset.UTC : sql.zone();
        Map<Integer, TimelineHistory> histories = new TreeMap<>();
        Map<String, BackupLabel> backupHistory = new HashMap<>();
        if (textFiles != null) {
            for (Map.Entry<String, String> f : textFiles.entrySet()) {
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
        List<BaseBackup> backups = null;
        List<BaseBackupSummary> backupSummaries = null;
        if (backupSizes != null) {
            backups = new ArrayList<>();
            backupSummaries = new ArrayList<>();
            baseBackups(backupSizes, manifests, backupHistory, errors, backups, backupSummaries);
            Map<String, List<String>> tablespaces = part(results, p + "baseBackupFiles", "base backups", errors,
                    "baseBackups", HostOverviewProbe::backupTablespaces);
            if (tablespaces != null) {
                backupSummaries.replaceAll(b -> b.withTablespaces(tablespaces.getOrDefault(b.label(), List.of())));
            }
        }

        ArchiverStatus archiver = sql == null ? null : lag(sql, archive, ready, now, textFiles == null ? null : histories);
        RecoverableWindows windows = null;
        if (archive != null && backups != null) {
            List<BaseBackup> planned = backups;
            Integer timeline = sql == null ? null : sql.timeline();
            String lastWal = sql == null ? null : sql.lastArchivedWal();
            Instant lastTime = sql == null || sql.lastArchivedTime() == null ? null
                    : sql.lastArchivedTime().toInstant();
            windows = walStops == null
                    ? WindowPlanner.plan(planned, archive, timeline, lastWal, lastTime, histories)
                    : walStops.plan(new WalDump(shell, profile, values), (stops, readAhead) -> WindowPlanner.plan(
                            planned, archive, timeline, lastWal, lastTime, histories, stops, readAhead), errors);
        }
        List<ZfsSnapshot> zfs = null;
        if (allZfs != null) {
            List<String> datasets = profile.zfsDatasets(values);
            zfs = allZfs.stream().filter(s -> datasets.contains(s.dataset())).toList();
        } else if (hostErrors.containsKey("zfs")) {
            errors.put("zfs", hostErrors.get("zfs"));
        }
        List<ResticSnapshot> restic = null;
        if (allRestic != null) {
            ResticSeries series = ResticSeries.of(allRestic, inst.name());
            restic = new ArrayList<>(series.baseBackups());
            restic.addAll(series.walArchive());
            restic.sort(Comparator.comparing(s -> s.time().toInstant()));
        } else if (hostErrors.containsKey("restic")) {
            errors.put("restic", hostErrors.get("restic"));
        }
        List<FailedUnit> myFailed = failed == null ? null
                : failed.stream().filter(u -> u.unit().contains(inst.name())).toList();
        Health health = HealthEvaluator.evaluate(new HealthInput(inst.name(), now,
                archiver == null ? null : archiver.toStats(),
                archiver == null || archiver.lagBytes() == null ? null
                        : new ArchiveLag(archiver.lagBytes(), Duration.ofSeconds(archiver.lagSeconds() == null ? 0
                                : archiver.lagSeconds()), archiver.readyFiles() == null ? 0 : archiver.readyFiles()),
                backups, windows, timers, timers == null ? null : profile.expectedTimers(values), myFailed, metrics,
                drills.read(), drills.last() == null ? null : drills.last().at().toInstant()), thresholds);
        List<String> reasons = new ArrayList<>(health.reasonTexts());
        errors.forEach((k, v) -> {
            if (k.equals("sql")) {
                reasons.add(0, "the server could not be queried: " + v);
            }
        });
        HealthSummary healthSummary = new HealthSummary(
                errors.containsKey("sql") ? "fail" : health.state().json(), reasons);
        return new InstanceStatus(inst.name(), inst.port(), sql == null ? null : sql.version(), sql != null,
                sql == null ? null : sql.dataSize(), archiver, backupSizes == null ? null : backupSizes.size(),
                errors.isEmpty() ? null : String.join("; ", errors.values()),
                sql == null ? null : sql.inRecovery(), sql == null ? null : sql.timeline(),
                archive == null ? null : WalArchiveSummary.of(archive), backupSummaries,
                windows == null ? null : WindowSummary.of(windows), zfs, restic, healthSummary, errors,
                sql == null ? null : sql.server(), drills.last(), replicaRoot());
    }

    /** What pgdeck's drill log says: {@code read} false when it could not be read (or the profile has no log). */
    private record Drills(boolean read, LastDrill last) {
    }

    /** The last successful drill from the batch's {@code drills} part; no log file yet means never drilled. */
    private static Drills drills(CommandBatch.PartResult r, Map<String, String> errors) {
        if (r == null) {
            return new Drills(false, null);
        }
        if (r.exitCode() > 0 && DrillLines.missing(r.stderr())) {
            return new Drills(true, null);
        }
        Map<String, CommandBatch.PartResult> one = Map.of(r.key(), r);
        List<DrillRecord> records = part(one, r.key(), "pgdeck's drill log", errors, "drills", DrillLines::parse);
        if (records == null) {
            return new Drills(false, null);
        }
        return new Drills(true, DrillLines.lastSuccessful(records).map(DrillRecord::summary).orElse(null));
    }

    /** Where the ZFS snapshots are replicated to, null when no target is configured. */
    private String replicaRoot() {
        ZfsReplicaTarget target = ZfsReplicaTarget.of(profile, profile.values(overrides, null, 0));
        return target == null ? null : target.targetRoot();
    }

    /** The JDBC row, or the reason it could not be read (kept under "sql", as psql's failure would be). */
    private static SqlRow jdbcRow(String row, Map<String, String> errors) {
        if (row.startsWith(JdbcOverviewRow.FAILED)) {
            errors.put("sql", row.substring(JdbcOverviewRow.FAILED.length()));
            return null;
        }
        try {
            return SqlRow.parse(row);
        } catch (ParseException e) {
            errors.put("sql", e.getMessage());
            return null;
        }
    }

    /**
     * The base backups of one instance from its backup directories' sizes, their manifests' tails and the backup
     * history files of the archive (which give times and LSNs); unreadable ones are summarised with the reason and
     * their errors kept under {@code backup:<label>}.
     *
     * @param manifests manifest tails by {@code <label>/backup_manifest}, null when they could not be read
     */
    public static void baseBackups(Map<String, Long> backupSizes, Map<String, String> manifests,
                                   Map<String, BackupLabel> backupHistory, Map<String, String> errors,
                                   List<BaseBackup> backups, List<BaseBackupSummary> backupSummaries) {
        for (Map.Entry<String, Long> dir : backupSizes.entrySet()) {
            String label = dir.getKey();
            String tail = manifests == null ? null : manifests.get(label + "/backup_manifest");
            if (tail == null) {
                backupSummaries.add(BaseBackupSummary.unreadable(label, dir.getValue(),
                        manifests == null ? "the manifests could not be read" : "no backup_manifest"));
                continue;
            }
            try {
                List<WalRange> ranges = ManifestTail.walRanges(label + "/backup_manifest", tail);
                WalRange first = ranges.get(0);
                WalRange last = ranges.get(ranges.size() - 1);
                BackupLabel h = backupHistory.get(WalFileName.backupHistoryName(first.timeline(), first.start()));
                BaseBackup b = h != null
                        ? new BaseBackup(label, h.startTime(), h.stopTime(), h.startLsn(),
                                h.stopLsn() != null ? h.stopLsn() : last.end(),
                                h.stopTimeline() != null ? h.stopTimeline() : last.timeline(), dir.getValue(),
                                h.label())
                        : new BaseBackup(label, null, null, first.start(), last.end(), last.timeline(),
                                dir.getValue(), null);
                backups.add(b);
                backupSummaries.add(BaseBackupSummary.of(b, h != null ? "backup history file" : "backup_manifest"));
            } catch (ParseException e) {
                errors.put("backup:" + label, e.getMessage());
                backupSummaries.add(BaseBackupSummary.unreadable(label, dir.getValue(), e.getMessage()));
            }
        }
    }

    /**
     * pg_stat_archiver and the lag (see {@link ArchiverStatus}): the current timeline's segments only, whatever
     * last_archived_wal names ({@link ArchiveBacklog}).
     */
    static ArchiverStatus lag(SqlRow sql, WalArchive archive, List<String> ready, Instant now,
                              Map<Integer, TimelineHistory> histories) {
        Long lagBytes = null;
        Long lagSegments = null;
        Long lagSeconds = null;
        WalSegment current = WalSegment.tryParse(sql.currentWalFile());
        if (current != null && sql.currentLsn() != null) {
            ArchiveBacklog backlog = ArchiveBacklog.of(current, sql.currentLsn(), sql.lastArchivedWal(), archive,
                    histories == null ? null : histories.get(current.timeline()));
            lagBytes = backlog.bytes();
            lagSegments = backlog.segments();
            boolean waiting = lagSegments > 0 || (ready != null && !ready.isEmpty());
            if (!waiting) {
                lagSeconds = 0L;
            } else if (sql.lastArchivedTime() != null) {
                lagSeconds = Math.max(0, Duration.between(sql.lastArchivedTime().toInstant(), now).getSeconds());
            }
        }
        return new ArchiverStatus(sql.archivedCount(), sql.failedCount(), sql.lastArchivedWal(),
                sql.lastArchivedTime(), sql.lastFailedWal(), sql.lastFailedTime(), lagBytes, lagSegments, lagSeconds,
                ready == null ? null : ready.size());
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String output) throws ParseException;
    }

    /** Parses one part, or records why it could not be read (not installed, failed, unparseable) and gives null. */
    private static <T> T part(Map<String, CommandBatch.PartResult> results, String key, String what,
                              Map<String, String> errors, String errorKey, Parser<T> parser) {
        CommandBatch.PartResult r = results.get(key);
        if (r == null) {
            return null;
        }
        if (r.notInstalled()) {
            errors.put(errorKey, what + " not available: `" + r.command().shellLine().split(" ")[0]
                    + "` is not installed on the host (" + firstLine(r.stderr()) + ")");
            return null;
        }
        if (!r.succeeded()) {
            errors.put(errorKey, r.describeFailure());
            return null;
        }
        try {
            return parser.parse(r.stdout());
        } catch (ParseException e) {
            errors.put(errorKey, e.getMessage());
            return null;
        } catch (RuntimeException e) {
            errors.put(errorKey, what + ": unexpected output (" + e + ")");
            return null;
        }
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    /** The backup and timeline history files of the {@code archiveTextFiles} command's output, by file name. */
    public static Map<String, String> historyFiles(String out) {
        return TailFiles.split(out, path -> path.endsWith(".backup") || path.endsWith(".history"),
                TailFiles::fileName);
    }

    /** The manifest tails of the {@code manifestTails} command's output, by {@code <label>/backup_manifest}. */
    public static Map<String, String> manifestTails(String out) {
        return TailFiles.split(out, path -> path.endsWith("/backup_manifest"), TailFiles::lastTwo);
    }

    /** Splits {@code find -printf '\n@@pgdeck-file %f\n' -exec cat {} ;} output into file name -> content. */
    public static Map<String, String> files(String out) {
        Map<String, String> files = new LinkedHashMap<>();
        String text = out.startsWith(FILE_MARK.substring(1)) ? "\n" + out : out;
        int at = text.indexOf(FILE_MARK);
        while (at >= 0) {
            int nameStart = at + FILE_MARK.length();
            int nameEnd = text.indexOf('\n', nameStart);
            if (nameEnd < 0) {
                break;
            }
            int next = text.indexOf(FILE_MARK, nameEnd);
            files.put(text.substring(nameStart, nameEnd), text.substring(nameEnd + 1, next < 0 ? text.length() : next));
            at = next;
        }
        return files;
    }

    /**
     * The tablespaces of each base backup directory in a {@code find -printf '%P %s\n'} listing: the OIDs of its
     * {@code <oid>.tar(.gz)} files; only YYYYMMDD-HHMMSS directories.
     */
    public static Map<String, List<String>> backupTablespaces(String out) {
        Map<String, List<String>> files = new TreeMap<>();
        for (String line : out.split("\n")) {
            int slash = line.indexOf('/');
            int space = line.lastIndexOf(' ');
            if (slash > 0 && space > slash && BaseBackupNames.parse(line.substring(0, slash)).isPresent()) {
                files.computeIfAbsent(line.substring(0, slash), k -> new ArrayList<>())
                        .add(line.substring(slash + 1, space));
            }
        }
        Map<String, List<String>> oids = new TreeMap<>();
        files.forEach((label, names) -> oids.put(label, BaseBackupNames.tablespaceOids(names)));
        return oids;
    }

    /** Sizes of base backup directories from {@code find -printf '%P %s\n'}; only YYYYMMDD-HHMMSS directories. */
    public static Map<String, Long> backupSizes(String out) throws ParseException {
        Map<String, Long> sizes = new TreeMap<>();
        int lineNo = 0;
        for (String line : out.split("\n")) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            int slash = line.indexOf('/');
            long size;
            try {
                size = space > 0 ? Long.parseLong(line.substring(space + 1)) : -1;
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0 || slash <= 0 || slash > space) {
                throw new ParseException("base backup listing (find -printf '%P %s')", lineNo, line,
                        "\"<backup dir>/<file> <size in bytes>\"");
            }
            String dir = line.substring(0, slash);
            if (BaseBackupNames.parse(dir).isPresent()) {
                sizes.merge(dir, size, Long::sum);
            }
        }
        return sizes;
    }

    Metrics metrics(String out, Map<String, String> errors) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> help = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        for (Map.Entry<String, String> f : files(out).entrySet()) {
            try {
                Metrics m = PrometheusTextParser.parse(f.getKey(), f.getValue());
                samples.addAll(m.samples());
                help.putAll(m.help());
                types.putAll(m.types());
            } catch (ParseException e) {
                errors.put("metrics:" + f.getKey(), e.getMessage());
            }
        }
        return new Metrics(samples, help, types);
    }

    /** The one row of {@link #SQL}, as psql prints it unaligned with tab separators. */
    record SqlRow(String version, boolean inRecovery, Long dataSize, String currentWalFile, Lsn currentLsn,
                  Integer timeline, long archivedCount, String lastArchivedWal, OffsetDateTime lastArchivedTime,
                  long failedCount, String lastFailedWal, OffsetDateTime lastFailedTime, Instant serverNow,
                  ZoneId zone, ServerSummary server) {
        private static final int COLUMNS = 18;

        static final String SOURCE = "psql (pg_stat_archiver row)";

        static SqlRow parse(String out) throws ParseException {
            String line = out.strip();
            String[] f = line.split("\t", -1);
            if (line.isEmpty() || line.contains("\n") || f.length != COLUMNS) {
                throw new ParseException(SOURCE, 1, line, "one row of " + COLUMNS + " tab-separated columns");
            }
            try {
                ZoneId zone;
                try {
                    zone = ZoneId.of(f[13]);
                } catch (RuntimeException e) {
                    zone = ZoneOffset.UTC;
                }
                String curFile = empty(f[3]);
                return new SqlRow(PgVersion.fromVersionOutput(f[0]), "t".equals(f[1]), longOrNull(f[2]), curFile,
                        empty(f[4]) == null ? null : Lsn.parse(f[4]),
                        curFile != null ? (Integer) WalSegment.parse(curFile).timeline()
                                : empty(f[5]) == null ? null : Integer.valueOf(f[5]),
                        Long.parseLong(f[6]), empty(f[7]), time(f[8]), Long.parseLong(f[9]), empty(f[10]), time(f[11]),
                        time(f[12]).toInstant(), zone, new ServerSummary(time(f[14]), intOrNull(f[15]),
                                intOrNull(f[16]), databaseSizes(f[17])));
            } catch (RuntimeException e) {
                throw new ParseException(SOURCE, 1, line, "version, t/f, numbers, LSN and epoch seconds (" + e + ")");
            }
        }

        private static String empty(String s) {
            return s.isEmpty() ? null : s;
        }

        private static Integer intOrNull(String s) {
            return s.isEmpty() ? null : Integer.valueOf(s);
        }

        /** {@code {"postgres" : 7504419, ...}} as json_object_agg writes it. */
        private static Map<String, Long> databaseSizes(String json) {
            if (json.isEmpty()) {
                return Map.of();
            }
            Object parsed;
            try {
                parsed = new dev.pgdeck.model.json.Json(SOURCE).parse(json);
            } catch (ParseException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            if (!(parsed instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("database sizes are not a JSON object: " + json);
            }
            Map<String, Long> sizes = new TreeMap<>();
            map.forEach((k, v) -> sizes.put(String.valueOf(k), ((Number) v).longValue()));
            return sizes;
        }

        private static Long longOrNull(String s) {
            return s.isEmpty() ? null : Long.valueOf(s);
        }

        private static OffsetDateTime time(String epoch) {
            if (epoch.isEmpty()) {
                return null;
            }
            BigDecimal seconds = new BigDecimal(epoch);
            long whole = seconds.longValue();
            long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(whole, nanos).atOffset(ZoneOffset.UTC);
        }
    }
}
