package dev.pgdeck.remote.restore;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCapabilities;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.wal.Lsn;
import dev.pgdeck.model.restore.BackupChooser;
import dev.pgdeck.model.restore.RecoveryFacts;
import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.model.restore.RestorePlanner;
import dev.pgdeck.model.restore.RestoreRequest;
import dev.pgdeck.model.restore.TargetCheck;
import dev.pgdeck.model.restore.TargetValidator;
import dev.pgdeck.model.restore.VerifyQuery;
import dev.pgdeck.model.restore.ZfsRestorePlanner;
import dev.pgdeck.model.zfs.ZfsListParser;
import dev.pgdeck.model.zfs.ZfsSnapshot;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.probe.CapabilitiesProbe;
import dev.pgdeck.remote.probe.WalDump;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The restore of one instance, in the wizard's order: read the instance ({@link #read}), check a target and pick a
 * backup ({@link #check}, {@link #validBackups}), build the plan ({@link #plan}), run the pre-flight checks
 * ({@link #preflight}), execute ({@link #execute}; drills are written to the drill log). Every call does its I/O on
 * the caller's thread: run them off the UI thread.
 */
public final class RestoreWorkflow {
    private final HostShell shell;
    private final HostProfile profile;
    private final Map<String, String> values;
    private final String instance;
    private final int port;
    private final Clock clock;
    private final ProfileRestoreCommands commands;
    private final RecoveryFactsProbe probe;
    private final TargetValidator validator = new TargetValidator();
    private HostCapabilities capabilities;
    /** Restore points pgdeck did not log, found in the archived WAL ({@code <timeline>/<name>}), or not found. */
    private final Map<String, Optional<Lsn>> located = new HashMap<>();

    public RestoreWorkflow(HostShell shell, HostProfile profile, Map<String, String> overrides, String instance,
                           int port, Clock clock) {
        this.shell = shell;
        this.profile = profile;
        this.values = profile.values(overrides, instance, port);
        this.instance = instance;
        this.port = port;
        this.clock = clock;
        this.commands = new ProfileRestoreCommands(profile, values);
        this.probe = new RecoveryFactsProbe(shell, profile, overrides);
    }

    /** A port for a drill's scratch server: the instance's port + 10000 (or - 10000 near the top). */
    public static int defaultScratchPort(int port) {
        return port + 10000 <= 65535 ? port + 10000 : port - 10000;
    }

    public InstanceRecovery read() throws HostCommandException {
        return probe.read(instance, port);
    }

    /**
     * Seed 002's scenario 4: the instance as its restic snapshots hold it (the newest base-backup and wal-archive
     * snapshots of the instance, or the ones given), for when the host's own backups and archive are lost. Plans
     * from this state restore from restic first.
     */
    public InstanceRecovery readFromRestic(String baseSnapshot, String walSnapshot) throws HostCommandException {
        return new ResticFactsProbe(shell, profile, values).read(instance, port, baseSnapshot, walSnapshot);
    }

    public TargetCheck check(InstanceRecovery state, RecoveryTarget target, BaseBackup backup, int timeline) {
        return validator.check(target, backup, timeline, placed(state, target, timeline).facts());
    }

    public List<BaseBackup> validBackups(InstanceRecovery state, RecoveryTarget target, int timeline) {
        return new BackupChooser(validator).validBackups(target, timeline, placed(state, target, timeline).facts());
    }

    /** The newest valid backup, or empty with {@link #explain} saying why none is. */
    public Optional<BaseBackup> chooseBackup(InstanceRecovery state, RecoveryTarget target, int timeline) {
        return new BackupChooser(validator).choose(target, timeline, placed(state, target, timeline).facts());
    }

    public TargetCheck explain(InstanceRecovery state, RecoveryTarget target, int timeline) {
        return new BackupChooser(validator).explain(target, timeline, placed(state, target, timeline).facts());
    }

    /**
     * {@code state} with a restore point pgdeck did not log placed at its LSN in the archived WAL, where the backup
     * to recover from depends on where it lies (the timeline's window has a gap: before it only an older backup
     * reaches it, after it only a newer one). Read once per name and timeline for this workflow.
     */
    private InstanceRecovery placed(InstanceRecovery state, RecoveryTarget target, int timeline) {
        RecoveryFacts f = state.facts();
        if (target.kind() != RecoveryTarget.Kind.NAME || f.restorePoints().containsKey(target.text())
                || state.restic() != null
                || f.windows().timeline(timeline).map(w -> w.runs().size() < 2).orElse(true)) {
            return state;
        }
        Optional<Lsn> at = located.computeIfAbsent(timeline + "/" + target.text(), k -> {
            try {
                return RestorePointLocator.locate(new WalDump(shell, profile, values), f.archive(),
                        f.history(timeline), timeline, target.text());
            } catch (HostCommandException e) {
                return Optional.empty(); // unplaced, as before: the validator warns that it cannot check it
            }
        });
        if (at.isEmpty()) {
            return state;
        }
        Map<String, Lsn> points = new HashMap<>(f.restorePoints());
        points.put(target.text(), at.get());
        return new InstanceRecovery(state.instance(), state.port(), new RecoveryFacts(f.backups(), f.archive(),
                f.histories(), f.windows(), points), state.backupFiles(), state.dataDir(), state.walArchive(),
                state.baseBackups(), state.currentTimeline(), state.running(), state.errors(), state.restic(),
                state.tablespaces());
    }

    public RestorePlan plan(InstanceRecovery state, RecoveryTarget target, BaseBackup backup, int timeline,
                            RestoreMode mode, int scratchPort, String verifySql) {
        return plan(state, target, backup, timeline, mode, scratchPort, verifySql, false);
    }

    /** As above; {@code pauseAtTarget} (in place, a target other than latest) pauses there instead of promoting. */
    public RestorePlan plan(InstanceRecovery state, RecoveryTarget target, BaseBackup backup, int timeline,
                            RestoreMode mode, int scratchPort, String verifySql, boolean pauseAtTarget) {
        return plan(state, target, backup, timeline, mode, scratchPort, verifySql, null, pauseAtTarget);
    }

    /**
     * As above, the verification query running in {@code verifyDatabase}; null means the instance's largest
     * database that is not a template (asked now: {@link #databases}), or postgres, with a warning, when the
     * instance cannot be asked.
     */
    public RestorePlan plan(InstanceRecovery state, RecoveryTarget target, BaseBackup backup, int timeline,
                            RestoreMode mode, int scratchPort, String verifySql, String verifyDatabase,
                            boolean pauseAtTarget) {
        TargetCheck check = check(state, target, backup, timeline);
        if (!check.valid()) {
            throw new IllegalArgumentException(check.reason());
        }
        List<String> warnings = new ArrayList<>(check.warnings());
        String database = verifyDatabase;
        if (database == null && verifySql != null && !verifySql.isBlank()) {
            database = defaultDatabase(warnings);
        }
        RestoreRequest request = new RestoreRequest(shell.hostName(), instance, port, mode, target, timeline, backup,
                state.dataDir(), state.walArchive(), state.backupDir(backup.label()), state.hasWalTar(backup.label()),
                scratchPort, LocalDateTime.now(clock.withZone(ZoneOffset.UTC)).withNano(0), verifySql, state.restic(),
                pauseAtTarget, database, state.tablespacesFor(backup.label()));
        RestorePlanner planner = new RestorePlanner(commands);
        RestorePlan plan = planner.plan(request, warnings);
        // on hosts whose data directory is a ZFS dataset (seed 002), the dataset is renamed aside, not the directory;
        // only where zfs can run there: a seed-002 host without ZFS gets the plain move-aside restore (issue 12)
        if (mode == RestoreMode.IN_PLACE && onZfs()) {
            plan = planner.onZfsDataset(plan, commands, profile.zfsDatasets(values).get(0));
        }
        return plan;
    }

    /** Databases a query can run in, largest first: no templates, none that refuses connections. */
    private static final String DATABASES = "SELECT datname FROM pg_database WHERE NOT datistemplate AND datallowconn"
            + " ORDER BY pg_database_size(oid) DESC, datname";

    /**
     * The instance's databases a verification query can run in, largest first (the default is the first), as the
     * running instance lists them; a restore recovers the same databases.
     */
    public List<String> databases() throws HostCommandException {
        CommandResult r = shell.run(commands.sql(port, DATABASES), Duration.ofSeconds(30));
        if (!r.succeeded()) {
            throw new HostCommandException("the databases of " + instance + " could not be listed: "
                    + r.describeFailure());
        }
        return r.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    private String defaultDatabase(List<String> warnings) {
        try {
            List<String> all = databases();
            if (!all.isEmpty()) {
                return all.get(0);
            }
            warnings.add("the instance lists no database to verify in: the verification query runs in "
                    + VerifyQuery.FALLBACK_DATABASE);
        } catch (HostCommandException e) {
            warnings.add("the verification query runs in " + VerifyQuery.FALLBACK_DATABASE + " (choose another with"
                    + " the verification database): " + e.getMessage());
        }
        return VerifyQuery.FALLBACK_DATABASE;
    }

    /**
     * What this host can run, as the profile runs it, and the free space beside the data directory and the backups:
     * read once (one command that changes nothing, see {@link CapabilitiesProbe}) and kept for this workflow.
     */
    public HostCapabilities capabilities() throws HostCommandException {
        if (capabilities == null) {
            Set<String> dirs = new LinkedHashSet<>();
            for (String key : List.of("dataDir", "baseBackups")) {
                String dir = values.get(key);
                if (dir != null) {
                    dirs.add(RestorePreflight.parent(dir));
                }
            }
            capabilities = CapabilitiesProbe.read(shell, profile, values, dirs);
        }
        return capabilities;
    }

    /**
     * Whether an in-place restore replaces a ZFS dataset: the profile names datasets and has the commands, and zfs
     * runs on this host (asks the host once, see {@link #capabilities}). A host that cannot be asked is planned as
     * without ZFS; the pre-flight then proves each command of that plan.
     */
    private boolean onZfs() {
        if (!profile.has("zfsCreate") || profile.zfsDatasets(values).isEmpty()) {
            return false;
        }
        try {
            return capabilities().has("zfs");
        } catch (HostCommandException e) {
            return false;
        }
    }

    /**
     * Why this host cannot restore from a ZFS snapshot, in words, or empty: the profile's reasons
     * ({@link #zfsUnavailable(HostProfile)}), then whether zfs runs here as the profile runs it.
     */
    public Optional<String> zfsUnavailableHere() throws HostCommandException {
        return zfsUnavailable(profile, capabilities());
    }

    /** Why this host cannot restore from restic, in words, or empty (asks the host once, see {@link #capabilities}). */
    public Optional<String> resticUnavailableHere() throws HostCommandException {
        return resticUnavailable(profile, capabilities());
    }

    /** As {@link #zfsUnavailable(HostProfile)}, and that zfs runs on a host with these {@code capabilities}. */
    public static Optional<String> zfsUnavailable(HostProfile profile, HostCapabilities capabilities) {
        Optional<String> byProfile = zfsUnavailable(profile);
        if (byProfile.isPresent() || capabilities == null || capabilities.has("zfs")) {
            return byProfile;
        }
        List<String> failing = capabilities.failing().stream().filter(k -> k.endsWith(" zfs") || k.equals("zfs")
                || k.endsWith("/zfs")).toList();
        return Optional.of("zfs cannot run on this host" + (failing.isEmpty() ? "" : " (" + String.join(", ", failing)
                + ": not found, or not allowed by sudo -n)"));
    }

    /** Why this host cannot restore from restic, in words, or empty: restic must run as the profile runs it. */
    public static Optional<String> resticUnavailable(HostProfile profile, HostCapabilities capabilities) {
        if (!profile.has("resticRestore")) {
            return Optional.of("host profile " + profile.name() + " has no restic restore command");
        }
        if (capabilities != null && !capabilities.has("restic")) {
            return Optional.of("restic cannot run on this host (not found, or not allowed by sudo -n)");
        }
        return Optional.empty();
    }

    /** The commands a ZFS restore runs (see {@link ZfsRestorePlanner}), besides stopping and starting the instance. */
    private static final List<String> ZFS_COMMANDS = List.of("zfsSnapshots", "zfsSnapshotCreate", "zfsRename",
            "zfsSetMountpoint", "zfsClone");

    /**
     * Why {@code profile} cannot restore from a ZFS snapshot, in words; empty when it can (its instances have
     * datasets and it has every command the ZFS plan runs). Reads the profile only: no I/O.
     */
    public static Optional<String> zfsUnavailable(HostProfile profile) {
        if (profile.zfsDatasets().isEmpty()) {
            return Optional.of("host profile " + profile.name() + " names no ZFS datasets for its instances");
        }
        List<String> missing = ZFS_COMMANDS.stream().filter(c -> !profile.has(c)).toList();
        if (!missing.isEmpty()) {
            return Optional.of("host profile " + profile.name() + (profile.has("zfsSnapshots")
                    ? " lists ZFS snapshots but cannot clone one" : " has no ZFS commands") + " (it lacks "
                    + String.join(", ", missing) + ")");
        }
        return Optional.empty();
    }

    /** The instance's data dataset and its snapshots (oldest first), for a restore from ZFS (scenario 1). */
    public record ZfsState(String dataset, String dataDir, List<ZfsSnapshot> snapshots) {
        public ZfsState {
            snapshots = snapshots.stream().sorted(java.util.Comparator.comparing(ZfsSnapshot::creation)).toList();
        }

        /** The snapshot a restore to {@code target} uses: the newest taken at or before it. */
        public Optional<ZfsSnapshot> snapshotFor(java.time.Instant target) {
            return ZfsRestorePlanner.snapshotFor(snapshots, dataset, target);
        }

        public String noSnapshotReason(java.time.Instant target) {
            return ZfsRestorePlanner.noSnapshotReason(snapshots, dataset, target);
        }
    }

    /** Lists the snapshots of the instance's data dataset; refused where the profile cannot restore from ZFS. */
    public ZfsState readZfs() throws HostCommandException {
        // the profile only: on a host without zfs, listing its snapshots fails next, before anything can stop
        Optional<String> unavailable = zfsUnavailable(profile);
        if (unavailable.isPresent()) {
            throw new IllegalArgumentException(unavailable.get());
        }
        String dataset = profile.zfsDatasets(values).get(0);
        var r = shell.run(profile.command("zfsSnapshots", values), java.time.Duration.ofSeconds(60));
        if (!r.succeeded()) {
            throw new HostCommandException("listing ZFS snapshots failed: " + r.describeFailure());
        }
        try {
            return new ZfsState(dataset, values.get("dataDir"), ZfsListParser.parse(r.stdout()).stream()
                    .filter(s -> s.dataset().equals(dataset)).toList());
        } catch (dev.pgdeck.model.ParseException e) {
            throw new HostCommandException(e.getMessage());
        }
    }

    /**
     * Seed 002's scenario 1 as a plan: the instance's data dataset as at the newest ZFS snapshot not after
     * {@code target} (see {@link ZfsRestorePlanner}). Refused where the profile has no ZFS, or no snapshot fits.
     */
    public RestorePlan zfsPlan(java.time.Instant target, String verifySql) throws HostCommandException {
        return zfsPlan(readZfs(), target, verifySql);
    }

    /** The same from snapshots already read (the wizard's). */
    public RestorePlan zfsPlan(ZfsState state, java.time.Instant target, String verifySql) {
        return zfsPlan(state, target, verifySql, null);
    }

    /** As above, the verification query in {@code verifyDatabase} (null: as {@link #plan} chooses it). */
    public RestorePlan zfsPlan(ZfsState state, java.time.Instant target, String verifySql, String verifyDatabase) {
        ZfsSnapshot snapshot = state.snapshotFor(target).orElseThrow(
                () -> new IllegalArgumentException(state.noSnapshotReason(target)));
        String database = verifyDatabase;
        if (database == null && verifySql != null && !verifySql.isBlank()) {
            database = defaultDatabase(new ArrayList<>());
        }
        return new ZfsRestorePlanner(commands, commands).plan(shell.hostName(), instance, port, state.dataset(),
                state.dataDir(), snapshot, target, LocalDateTime.now(clock.withZone(ZoneOffset.UTC)).withNano(0),
                verifySql, database == null ? VerifyQuery.FALLBACK_DATABASE : database);
    }

    /**
     * The pre-flight checks of a ZFS plan: the snapshot is still listed, what is lost (no archived WAL is replayed),
     * and that the plan destroys nothing. Only reads.
     */
    public List<PreflightCheck> zfsPreflight(RestorePlan plan, ZfsState read) throws HostCommandException {
        List<PreflightCheck> checks = new ArrayList<>();
        ZfsState now = readZfs();
        String snapshot = plan.source().substring(plan.source().indexOf(' ', "ZFS ".length()) + 1);
        checks.add(now.snapshots().stream().anyMatch(s -> s.fullName().equals(snapshot))
                ? PreflightCheck.pass("ZFS snapshot", snapshot + " is listed on " + shell.hostName())
                : PreflightCheck.fail("ZFS snapshot", snapshot + " is no longer listed on " + shell.hostName()
                + ": it was destroyed (sanoid prunes old snapshots); go back and choose the target again"));
        checks.add(PreflightCheck.warn("WAL replay", "none from the archive: PostgreSQL only replays the snapshot's"
                + " own pg_wal (crash recovery); " + String.join("; ", plan.warnings())));
        List<String> destructive = plan.steps().stream().flatMap(s -> s.commands().stream())
                .map(dev.pgdeck.model.HostCommand::shellLine)
                .filter(l -> l.contains("zfs rollback") || l.contains("zfs destroy") || l.contains("rm -")).toList();
        checks.add(new RestorePreflight(shell, commands).commandsRun(plan));
        checks.add(destructive.isEmpty() ? PreflightCheck.pass("Nothing destroyed", "the current state is"
                + " snapshotted and the dataset renamed aside to " + plan.asideDir() + "; no zfs rollback or destroy")
                : PreflightCheck.fail("Nothing destroyed", "the plan would run " + String.join("; ", destructive)));
        return checks;
    }

    /**
     * The plan that undoes an in-place restore or ZFS rollback (see {@link RestorePlanner#swapBack}, and
     * {@link RestorePlanner#swapBackOnZfs} where the data directory is a ZFS dataset); run it with {@link #execute}.
     */
    public RestorePlan swapBackPlan(RestorePlan restored) {
        LocalDateTime now = LocalDateTime.now(clock.withZone(ZoneOffset.UTC)).withNano(0);
        RestorePlanner planner = new RestorePlanner(commands);
        if (movedADataset(restored)) {
            return planner.swapBackOnZfs(restored, commands, profile.zfsDatasets(values).get(0), now);
        }
        return planner.swapBack(restored, now);
    }

    /**
     * Whether {@code restored} renamed the instance's ZFS dataset aside (rather than moving its data directory with
     * mv): swap back undoes what the plan did, not what the profile could do (a seed002 host without zfs restores
     * with the plain move aside).
     */
    private boolean movedADataset(RestorePlan restored) {
        if (!profile.has("zfsRename") || profile.zfsDatasets(values).isEmpty() || restored.asideDir() == null
                || !restored.asideDir().startsWith(restored.dataDir() + ".")) {
            return false;
        }
        String dataset = profile.zfsDatasets(values).get(0);
        var rename = commands.rename(dataset, dataset + "-"
                + restored.asideDir().substring(restored.dataDir().length() + 1));
        return restored.steps().stream().anyMatch(s -> s.commands().contains(rename));
    }

    public List<PreflightCheck> preflight(RestorePlan plan, InstanceRecovery state, boolean verifyArchives)
            throws HostCommandException {
        return new RestorePreflight(shell, commands).run(plan, state, verifyArchives);
    }

    /** Runs the plan; a drill's result is appended to the drill log (a failure to write it is reported, not lost). */
    public RestoreReport execute(RestorePlan plan, RestoreListener listener, RestoreCancel cancel,
                                 RestoreExecutor.Options options) {
        RestoreReport report = new RestoreExecutor(shell, commands, options).execute(plan, listener, cancel);
        if (plan.mode() == RestoreMode.DRILL) {
            try {
                drills().record(plan, report);
            } catch (HostCommandException e) {
                listener.on(new RestoreEvent.Notice(e.getMessage()));
            }
        }
        return report;
    }

    public DrillLog drills() {
        return new DrillLog(shell, profile, values, clock);
    }

    /** Actions for a recovery that paused: resume replay, or promote where it stands. */
    public HostCommandResult resumeReplay(int serverPort) throws HostCommandException {
        return sql(serverPort, "SELECT pg_wal_replay_resume()");
    }

    public HostCommandResult promote(int serverPort) throws HostCommandException {
        return sql(serverPort, "SELECT pg_promote()");
    }

    /**
     * Ends a restore that paused at its target: promotes (waiting up to 60 s) and, once promoted, clears the recovery
     * settings the plan wrote, so that a later recovery.signal cannot reuse this restore's target.
     */
    public HostCommandResult promote(RestorePlan paused) throws HostCommandException {
        HostCommandResult promoted = sql(paused.port(), "SELECT pg_promote(true, 60)");
        if (!promoted.succeeded() || !promoted.output().equals("t")) {
            return new HostCommandResult(false, promoted.succeeded() ? "not promoted within 60 s" : promoted.output());
        }
        for (String key : paused.settings().keySet()) {
            HostCommandResult reset = sql(paused.port(), "ALTER SYSTEM RESET " + key);
            if (!reset.succeeded()) {
                return new HostCommandResult(false, "promoted, but clearing " + key + " failed: " + reset.output());
            }
        }
        HostCommandResult reload = sql(paused.port(), "SELECT pg_reload_conf()");
        return new HostCommandResult(reload.succeeded(), reload.succeeded()
                ? "promoted; the recovery settings were cleared" : "promoted; reloading failed: " + reload.output());
    }

    /** The outcome of a one-off action, for the wizard to show. */
    public record HostCommandResult(boolean succeeded, String output) {
    }

    private HostCommandResult sql(int serverPort, String sql) throws HostCommandException {
        var r = shell.run(commands.sql(serverPort, sql), java.time.Duration.ofSeconds(60));
        return new HostCommandResult(r.succeeded(), r.succeeded() ? r.stdout().strip() : r.describeFailure());
    }
}
