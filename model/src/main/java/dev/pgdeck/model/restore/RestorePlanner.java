package dev.pgdeck.model.restore;

import dev.pgdeck.model.ConfQuote;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.ShellQuote;
import dev.pgdeck.model.restore.RestoreStep.Kind;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the ordered steps of a restore (seed 002, scenario 2). In place: stop, move the data directory aside to
 * {@code <datadir>.pre-restore-<timestamp>} (never deleted), extract into a fresh directory, write the recovery
 * settings into postgresql.auto.conf, recovery.signal, start, wait for promotion, clear the recovery settings.
 * A drill does the same into {@code <datadir>.drill-<timestamp>} on a free port with archive_mode=off, verifies,
 * stops that server and removes that copy only.
 *
 * <p>Tablespaces ({@code <oid>.tar.gz} beside {@code base.tar.gz}): the data directory only links to them
 * ({@code pg_tblspc/<oid>}), so moving it aside alone would leave the kept copy pointing at the directories the
 * restored server then writes. In place, each live tablespace directory is moved aside too, as
 * {@code <location>.pre-restore-<timestamp>}, and the kept copy's link is pointed at it: the kept copy starts on its
 * own with the data it had. The backup's tablespaces are extracted into their locations again. A drill extracts them
 * into its copy ({@code pgdeck-tablespaces/<oid>}). Either way the restored copy's links are made by the plan and the
 * backup's {@code tablespace_map} is set aside (after pg_verifybackup, which checks it): at start the server would
 * otherwise recreate the links from it, to the live locations.
 */
public final class RestorePlanner {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    public static final String SERVER_LOG = "pgdeck-server.log";
    /** Where a drill extracts the backup's tablespaces inside its copy (pg_verifybackup is told to ignore it). */
    public static final String TABLESPACE_COPIES = "pgdeck-tablespaces";
    /**
     * Made just before recovery starts: log files newer than this are the restored server's (in place on a host whose
     * instance logs outside its data directory, it holds that log's size then: see
     * {@link RestoreCommands#markRecoveryStart}).
     */
    public static final String MARKER = "pgdeck-restore.started";
    private static final String IN_RECOVERY = "SELECT pg_is_in_recovery()";
    /** PostgreSQL 14 and later: 'paused' once recovery has paused. */
    private static final String PAUSE_STATE = "SELECT pg_get_wal_replay_pause_state()";

    private final RestoreCommands commands;

    public RestorePlanner(RestoreCommands commands) {
        this.commands = commands;
    }

    public RestorePlan plan(RestoreRequest r, List<String> warnings) {
        String stamp = STAMP.format(r.startedAt());
        boolean drill = r.mode() == RestoreMode.DRILL;
        String work = drill ? r.dataDir() + ".drill-" + stamp : r.dataDir();
        String aside = drill ? null : r.dataDir() + ".pre-restore-" + stamp;
        int port = drill ? r.scratchPort() : r.port();
        if (drill && r.scratchPort() == r.port()) {
            throw new IllegalArgumentException("a drill needs a port other than the instance's own (" + r.port() + ")");
        }
        // scenario 4: restic first, into a staging directory (inside a drill's scratch copy, so it goes with it)
        String staging = r.restic() == null ? null : drill ? work + "/pgdeck-restic" : r.dataDir() + ".restic-" + stamp;
        String backupDir = staging == null ? r.backupDir() : staging + r.backupDir();
        String walArchive = staging == null ? r.walArchive() : staging + r.walArchive();
        Map<String, String> settings = settings(r, walArchive, drill);
        String base = backupDir + "/base.tar.gz";
        Map<String, String> restoredTablespaces = restoredTablespaces(r, work);
        Map<String, String> replacedTablespaces = drill ? Map.of() : r.tablespaces().live();
        String keptSuffix = drill ? null : aside.substring(r.dataDir().length());
        List<RestoreStep> steps = new ArrayList<>();
        if (drill) {
            steps.add(run("Create the scratch data directory", List.of(commands.makeDataDir(work)),
                    "the instance keeps running; nothing of it is touched", true));
        }
        if (staging != null) {
            steps.add(run("Create the restic staging directory", List.of(commands.makeDataDir(staging)),
                    "restic restores full paths under it", true));
            steps.add(run("Restore the base backup from restic", List.of(commands.resticRestore(
                    r.restic().baseSnapshot(), staging, r.backupDir())), "snapshot " + r.restic().baseSnapshot()
                            + ": " + r.backupDir(), true));
            steps.add(run("Restore the WAL archive from restic", List.of(commands.resticRestore(
                    r.restic().walSnapshot(), staging, r.walArchive())), "snapshot " + r.restic().walSnapshot()
                            + ": " + r.walArchive(), true));
        }
        if (!drill) {
            steps.add(run("Stop the instance", List.of(commands.stopInstance()),
                    "the server must be down before its data directory is replaced", true));
            steps.add(run("Move the data directory aside", List.of(commands.moveAside(r.dataDir(), aside)),
                    "kept as " + aside + ", never deleted: one move puts it back", true));
            if (!replacedTablespaces.isEmpty()) {
                steps.add(run("Move the tablespaces aside", moveTablespaces(replacedTablespaces, keptSuffix, aside), "kept beside the data directory as " + String.join(", ", replacedTablespaces.values()
                        .stream().map(l -> l + keptSuffix).toList()) + ", never deleted; the kept copy's pg_tblspc"
                        + " links now point at them, so it still starts on its own with the data it had", true));
            }
        }
        if (!drill) {
            steps.add(run("Create a fresh data directory", List.of(commands.makeDataDir(work)),
                    "mode 0700, owned by the server's user", true));
        }
        steps.add(run("Extract the base backup", List.of(commands.extract(base, work)),
                "backup " + r.backup().label() + " from " + backupDir, false));
        if (!restoredTablespaces.isEmpty()) {
            List<HostCommand> extract = new ArrayList<>();
            if (drill) {
                extract.add(commands.makeDataDir(work + "/" + TABLESPACE_COPIES));
            }
            restoredTablespaces.forEach((oid, location) -> {
                extract.add(commands.makeDataDir(location));
                extract.add(commands.extract(backupDir + "/" + oid + ".tar.gz", location));
                extract.add(commands.linkTablespace(location, work + "/pg_tblspc/" + oid));
            });
            steps.add(run("Extract the tablespaces", extract, drill ? "into the scratch copy's " + TABLESPACE_COPIES
                    + "/<oid>, linked from its pg_tblspc: the live tablespace directories are not touched"
                    : "each into its location again (a fresh directory, mode 0700), linked from pg_tblspc", false));
        }
        if (r.hasWalTar()) {
            steps.add(run("Extract the backup's WAL", List.of(commands.extract(backupDir + "/pg_wal.tar.gz",
                    work + "/pg_wal")), "the WAL written during the backup (pg_basebackup -X stream)", false));
        }
        if (drill) {
            steps.add(run("Verify the backup against its manifest", List.of(commands.verifyBackup(
                    backupDir + "/backup_manifest", work)), "pg_verifybackup: every file's size and checksum", false));
        }
        if (!restoredTablespaces.isEmpty()) {
            steps.add(run("Set the backup's tablespace_map aside", List.of(commands.moveAside(work + "/tablespace_map",
                    work + "/tablespace_map.pgdeck-original")), "it names the live tablespace directories; at start"
                            + " the server would link to them from it: the links made above are used instead", false));
        }
        ScratchServerConfig config = drill ? commands.scratchConfig() : null;
        if (config != null) {
            steps.add(run("Write a minimal server configuration", List.of(
                    commands.writeScratchConfig(work + "/postgresql.conf", config.postgresqlConf(stamp)),
                    commands.writeScratchConfig(work + "/pg_hba.conf", config.hbaConf()),
                    commands.writeScratchConfig(work + "/pg_ident.conf", config.identConf())),
                    "this host keeps its configuration outside the data directory (it names the live cluster's"
                            + " data_directory), so the copy gets its own: the Unix socket in " + config.socketDir()
                            + " only, local connections of " + config.serverUser() + " only, no archiving", false));
        }
        steps.add(run("Write the recovery settings", List.of(commands.append(work + "/postgresql.auto.conf",
                settingsText(settings, stamp))), "appended to postgresql.auto.conf, which the server reads last;"
                        + " recovery_target_timeline is set explicitly", false));
        // a drill's server logs into its copy; in place the instance may log into a file with older lines
        HostCommand marker = drill ? commands.touch(work + "/" + MARKER)
                : commands.markRecoveryStart(work + "/" + MARKER);
        steps.add(run("Signal recovery", List.of(marker,
                commands.touch(work + "/recovery.signal")),
                "recovery.signal makes the server replay WAL from the archive up to the target", false));
        steps.add(run(drill ? "Start the scratch server" : "Start the instance",
                List.of(drill ? commands.startScratch(work, work + "/" + SERVER_LOG) : commands.startInstance()),
                drill ? "on port " + port + ", with archive_mode=off: nothing reaches the production archive"
                        : "it replays WAL, stops at the target and promotes", true));
        if (r.pauseAtTarget()) {
            steps.add(new RestoreStep("Wait until paused at the target", Kind.AWAIT_PAUSE, List.of(commands.sql(port,
                    PAUSE_STATE)), "recovery_target_action = 'pause': the server stays read-only at the target for"
                            + " you to inspect; promote it (or restore again to a later target) afterwards", false,
                    false));
        } else {
            steps.add(new RestoreStep("Wait for promotion", Kind.AWAIT_PROMOTION, List.of(commands.sql(port,
                    IN_RECOVERY)), "until pg_is_in_recovery() is false; the server log shows the progress", false,
                    false));
        }
        if (!drill && !r.pauseAtTarget()) { // paused, the settings must stay: a restart has to stop at the target again
            List<HostCommand> reset = new ArrayList<>();
            for (String key : settings.keySet()) {
                reset.add(commands.sql(port, "ALTER SYSTEM RESET " + key));
            }
            reset.add(commands.sql(port, "SELECT pg_reload_conf()"));
            steps.add(run("Clear the recovery settings", reset,
                    "so that a later recovery.signal cannot reuse this restore's target", false));
        }
        if (!drill) { // the marker served the log reading only: nothing of pgdeck's stays in the data directory
            steps.add(run("Remove pgdeck's recovery marker", List.of(commands.removeFile(work + "/" + MARKER)),
                    "it marked where the restored server's log starts; the wait that read it is over", false));
        }
        if (r.verifySql() != null && !r.verifySql().isBlank()) {
            String database = r.verifyDatabase() == null ? VerifyQuery.FALLBACK_DATABASE : r.verifyDatabase();
            steps.add(new RestoreStep("Verify", Kind.VERIFY, List.of(commands.verifyQuery(port,
                    VerifyQuery.psqlDatabase(database), VerifyQuery.statement(r.verifySql()))),
                    "the operator's query on the restored server, in database " + database + ", read-only", false,
                    false));
        }
        if (!drill && staging != null) {
            steps.add(run("Remove the restic staging copy", List.of(commands.removeScratch(staging)),
                    "only " + staging + ", restored from restic by this run", false));
        }
        if (drill) {
            steps.add(new RestoreStep("Stop the scratch server", Kind.RUN, List.of(commands.stopScratch(work)),
                    "", false, true));
            steps.add(new RestoreStep("Remove the scratch copy", Kind.RUN, List.of(commands.removeScratch(work)),
                    "only " + work + "; the instance's data is not touched", false, true));
        }
        // a drill's copy is given up by a cancel anyway; in place, only the restic staging before the instance stops
        steps = drill ? interruptible(steps, work, "Start the scratch server")
                : staging == null ? steps : interruptible(steps, staging, "Stop the instance");
        return new RestorePlan(r.host(), r.instance(), r.mode(), r.target(), r.timeline(),
                "base backup " + r.backup().label(), r.backup(), r.dataDir(),
                work, aside, port, settings, steps, warnings, restoredTablespaces, replacedTablespaces);
    }

    /**
     * Where each of the backup's tablespaces goes: a drill's into its copy; in place, each into the location the
     * instance links it from now. Refused in place when a location is not known: a tablespace is never put back at
     * a guessed place.
     */
    private static Map<String, String> restoredTablespaces(RestoreRequest r, String work) {
        Map<String, String> restored = new java.util.TreeMap<>();
        for (String oid : r.tablespaces().inBackup()) {
            if (r.mode() == RestoreMode.DRILL) {
                restored.put(oid, work + "/" + TABLESPACE_COPIES + "/" + oid);
                continue;
            }
            String location = r.tablespaces().live().get(oid);
            if (location == null) {
                throw new IllegalArgumentException("backup " + r.backup().label() + " holds tablespace " + oid + ", "
                        + (r.tablespaces().liveKnown() ? "which the instance no longer has (dropped after the"
                        + " backup?)" : "but the instance's tablespace links could not be read") + ": an in-place"
                        + " restore puts a tablespace back only where the instance links it from now; a drill can"
                        + " still restore this backup");
            }
            restored.put(oid, location);
        }
        return restored;
    }

    /**
     * Moves each tablespace directory {@code location} to {@code location + toSuffix} and points the link
     * {@code pg_tblspc/<oid>} of {@code dataDir} at it.
     */
    private List<HostCommand> moveTablespaces(Map<String, String> tablespaces, String toSuffix, String dataDir) {
        List<HostCommand> moves = new ArrayList<>();
        tablespaces.forEach((oid, location) -> {
            moves.add(commands.moveAside(location, location + toSuffix));
            moves.add(commands.linkTablespace(location + toSuffix, dataDir + "/pg_tblspc/" + oid));
        });
        return moves;
    }

    /** Marks the steps before {@code until} (never a cleanup) as stoppable in the middle, writing only into dir. */
    private static List<RestoreStep> interruptible(List<RestoreStep> steps, String dir, String until) {
        List<RestoreStep> marked = new ArrayList<>();
        boolean before = true;
        for (RestoreStep step : steps) {
            before &= !step.name().equals(until);
            marked.add(before && step.kind() == Kind.RUN && !step.cleanup() ? step.interruptibleIn(dir) : step);
        }
        return marked;
    }

    /**
     * The in-place plan for a data directory that is a ZFS dataset's mountpoint (seed 002): a mountpoint cannot be
     * renamed with mv, so the dataset is snapshotted and renamed aside (mounted at the plan's {@code asideDir},
     * kept) and a new dataset is created in its place; every other step stays as planned.
     */
    public RestorePlan onZfsDataset(RestorePlan plan, ZfsCommands zfs, String dataset) {
        if (plan.mode() != RestoreMode.IN_PLACE || plan.asideDir() == null) {
            throw new IllegalArgumentException("only an in-place restore replaces the instance's dataset");
        }
        String stamp = plan.asideDir().substring(plan.asideDir().lastIndexOf(".pre-restore-") + 13);
        String asideDataset = dataset + "-pre-restore-" + stamp;
        List<RestoreStep> steps = new ArrayList<>();
        for (RestoreStep step : plan.steps()) {
            switch (step.name()) {
                case "Move the data directory aside" -> {
                    steps.add(run("Snapshot the data set", List.of(zfs.snapshot(dataset + "@pgdeck-pre-restore-"
                            + stamp)), "the state the restore replaces, as a snapshot too", true));
                    steps.add(run("Move the data directory aside", List.of(zfs.rename(dataset, asideDataset),
                            zfs.setMountpoint(asideDataset, plan.asideDir())), "dataset " + asideDataset
                                    + " mounted at " + plan.asideDir() + ", never destroyed", true));
                }
                case "Create a fresh data directory" -> steps.add(run(step.name(), List.of(
                        zfs.create(dataset, plan.dataDir()), zfs.ownDataDir(plan.dataDir())),
                        "a new dataset " + dataset + " at " + plan.dataDir() + ", mode 0700", true));
                default -> steps.add(step);
            }
        }
        return plan.withSteps(steps, plan.warnings());
    }

    /**
     * Undoes an in-place restore: the restored data directory is moved aside as {@code <datadir>.restored-<ts>}
     * (kept, not deleted) and the directory the restore replaced is moved back, then the instance is started. The
     * returned plan's {@code asideDir} is where the restored copy goes.
     */
    public RestorePlan swapBack(RestorePlan restored, LocalDateTime now) {
        if (restored.mode() != RestoreMode.IN_PLACE || restored.asideDir() == null) {
            throw new IllegalArgumentException("only an in-place restore has a data directory to swap back");
        }
        String keep = restored.dataDir() + ".restored-" + STAMP.format(now);
        List<RestoreStep> steps = new ArrayList<>();
        steps.add(run("Stop the instance", List.of(commands.stopInstance()), "", true));
        steps.add(run("Move the data directory aside", List.of(commands.moveAside(restored.dataDir(), keep)),
                "the restored copy is kept as " + keep, true));
        steps.add(run("Move the replaced data directory back", List.of(commands.moveAside(restored.asideDir(),
                restored.dataDir())), "from " + restored.asideDir(), false));
        steps.addAll(tablespacesBack(restored, keep));
        steps.add(run("Start the instance", List.of(commands.startInstance()), "", true));
        steps.add(new RestoreStep("Wait until it accepts writes", Kind.AWAIT_PROMOTION,
                List.of(commands.sql(restored.port(), IN_RECOVERY)), "", false, false));
        return new RestorePlan(restored.host(), restored.instance(), RestoreMode.IN_PLACE, RecoveryTarget.latest(),
                restored.timeline(), "the data directory kept at " + restored.asideDir(), restored.backup(),
                restored.dataDir(), restored.dataDir(), keep, restored.port(), Map.of(), steps,
                List.of("puts back " + restored.asideDir()), restored.replacedTablespaces(), restored.tablespaces());
    }

    /**
     * Swap back of the tablespaces an in-place restore moved aside: each kept directory goes back to its location
     * (the restored copy there, if any, kept beside the restored data directory {@code keep} and linked from it),
     * and the data directory's link points at it again. Each location is handled as the restore left it, also when
     * it failed half-way.
     */
    private List<RestoreStep> tablespacesBack(RestorePlan restored, String keep) {
        if (restored.replacedTablespaces().isEmpty()) {
            return List.of();
        }
        String suffix = keep.substring(restored.dataDir().length());
        List<HostCommand> back = new ArrayList<>();
        restored.replacedTablespaces().forEach((oid, location) -> back.add(commands.swapTablespaceBack(location,
                restored.kept(location), location + suffix, restored.dataDir() + "/pg_tblspc/" + oid,
                keep + "/pg_tblspc/" + oid)));
        return List.of(run("Move the replaced tablespaces back", back, "from " + String.join(", ",
                restored.replacedTablespaces().values().stream().map(restored::kept).toList()) + "; the restored"
                + " ones are kept as " + String.join(", ", restored.replacedTablespaces().values().stream()
                .map(l -> l + suffix).toList()) + ", linked from the restored copy", false));
    }

    /**
     * Undoes an in-place restore or rollback of a data directory that is ZFS dataset {@code dataset}'s mountpoint: the
     * restored dataset is renamed aside as {@code <dataset>-restored-<ts>} (mounted at {@code <datadir>.restored-<ts>},
     * kept) and the dataset the restore replaced ({@code <dataset>-pre-restore-<ts>} or {@code -pre-rollback-<ts>}) is
     * mounted at the data directory and renamed back. Nothing is destroyed.
     */
    public RestorePlan swapBackOnZfs(RestorePlan restored, ZfsCommands zfs, String dataset, LocalDateTime now) {
        String prefix = restored.dataDir() + ".";
        if (restored.mode() != RestoreMode.IN_PLACE || restored.asideDir() == null
                || !restored.asideDir().startsWith(prefix)) {
            throw new IllegalArgumentException("only an in-place restore has a data set to swap back");
        }
        String stamp = STAMP.format(now);
        String keepDir = restored.dataDir() + ".restored-" + stamp;
        String keepDataset = dataset + "-restored-" + stamp;
        String asideDataset = dataset + "-" + restored.asideDir().substring(prefix.length());
        List<RestoreStep> steps = new ArrayList<>();
        steps.add(run("Stop the instance", List.of(commands.stopInstance()), "", true));
        steps.add(run("Move the restored data set aside", List.of(zfs.rename(dataset, keepDataset),
                zfs.setMountpoint(keepDataset, keepDir)), "kept as " + keepDataset + " at " + keepDir, true));
        steps.add(run("Move the replaced data set back", List.of(zfs.setMountpoint(asideDataset, restored.dataDir()),
                zfs.rename(asideDataset, dataset)), "from " + asideDataset, false));
        steps.addAll(tablespacesBack(restored, keepDir));
        steps.add(run("Start the instance", List.of(commands.startInstance()), "", true));
        steps.add(new RestoreStep("Wait until it accepts writes", Kind.AWAIT_PROMOTION,
                List.of(commands.sql(restored.port(), IN_RECOVERY)), "", false, false));
        return new RestorePlan(restored.host(), restored.instance(), RestoreMode.IN_PLACE, RecoveryTarget.latest(),
                restored.timeline(), "data set " + asideDataset, restored.backup(), restored.dataDir(),
                restored.dataDir(), keepDir, restored.port(), Map.of(), steps, List.of("puts back " + asideDataset),
                restored.replacedTablespaces(), restored.tablespaces());
    }

    private static RestoreStep run(String name, List<HostCommand> commands, String explanation, boolean safe) {
        return new RestoreStep(name, Kind.RUN, commands, explanation, safe, false);
    }

    /** The recovery settings, in order: where WAL comes from, the target, and (drills) what keeps the copy apart. */
    static Map<String, String> settings(RestoreRequest r, String walArchive, boolean drill) {
        Map<String, String> s = new LinkedHashMap<>();
        // the server substitutes %-placeholders before the shell reads the line: a % in the path stays a %
        s.put("restore_command", "cp " + ShellQuote.quote(ConfQuote.percentLiteral(walArchive) + "/%f")
                + " \"%p\"");
        s.putAll(r.target().settings(r.timeline(), r.pauseAtTarget()));
        if (drill) {
            s.put("port", Integer.toString(r.scratchPort()));
            s.put("archive_mode", "off");
            s.put("logging_collector", "off");
            s.put("shared_buffers", "128MB");
        }
        return s;
    }

    static String settingsText(Map<String, String> settings, String stamp) {
        StringBuilder sb = new StringBuilder("# pgdeck restore " + stamp + ": recovery settings\n");
        settings.forEach((k, v) -> {
            String problem = ConfQuote.problem(v);
            if (problem != null) { // refused while planning: nothing has run, the instance is untouched
                throw new IllegalArgumentException(k + ": " + problem);
            }
            sb.append(k).append(" = ").append(ConfQuote.quote(v)).append('\n');
        });
        return sb.toString();
    }
}
