package dev.pgdeck.remote.restore;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCapabilities;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.Invocation;
import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.model.restore.RestoreStep;
import dev.pgdeck.model.restore.WalChecks;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.probe.CapabilitiesProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The pre-flight checks of a plan, each with its result: WAL continuity from the backup to the target on the right
 * timeline, the timeline history, the backup's files (and their gzip integrity when asked: it reads them whole),
 * disk space, permissions, the instance's state, for a drill that the scratch port is free, and that every program
 * of the plan can run as the plan runs it.
 */
public final class RestorePreflight {
    /** Uncompressed data is assumed to take up to this many times the compressed backup. */
    static final int EXPANSION = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HostShell shell;
    private final ProfileRestoreCommands commands;

    public RestorePreflight(HostShell shell, ProfileRestoreCommands commands) {
        this.shell = shell;
        this.commands = commands;
    }

    public List<PreflightCheck> run(RestorePlan plan, InstanceRecovery instance, boolean verifyArchives)
            throws HostCommandException {
        List<PreflightCheck> checks = new ArrayList<>();
        String label = plan.backup().label();
        checks.add(WalChecks.continuity(plan.target(), plan.backup(), plan.timeline(), instance.facts(),
                instance.hasWalTar(label)));
        checks.add(WalChecks.timelineHistory(plan.timeline(), instance.facts()));
        checks.add(backupFiles(instance, label, verifyArchives));
        checks.add(diskSpace(plan, instance));
        checks.add(permissions(plan));
        checks.add(instanceState(plan, instance));
        if (!plan.tablespaces().isEmpty() || !plan.replacedTablespaces().isEmpty()) {
            checks.add(tablespaces(plan, instance, verifyArchives));
        }
        if (plan.mode() == RestoreMode.DRILL) {
            checks.add(scratchPort(plan.port()));
        }
        checks.add(commandsRun(plan));
        return checks;
    }

    /**
     * Proves, before anything runs, that the login can start every program of the plan the way the plan starts it
     * (found on the PATH, or allowed by {@code sudo -n} and found on its secure_path): a restore that stops the
     * instance must never then find {@code zfs} missing (issue 12, finding 1). Only asks; runs none of them.
     */
    public PreflightCheck commandsRun(RestorePlan plan) throws HostCommandException {
        String name = "Commands";
        Set<Invocation> invocations = new LinkedHashSet<>();
        int combined = 0;
        for (RestoreStep step : plan.steps()) {
            for (HostCommand c : step.commands()) {
                List<Invocation> of = Invocation.of(c);
                combined += of.isEmpty() ? 1 : 0;
                invocations.addAll(of);
            }
        }
        HostCapabilities can = CapabilitiesProbe.read(shell, invocations, Set.of());
        List<String> missing = invocations.stream().filter(i -> !can.runs(i)).map(Invocation::describe).toList();
        if (!missing.isEmpty()) {
            return PreflightCheck.fail(name, "the login on " + shell.hostName() + " cannot run "
                    + String.join(", ", missing) + " (not found, or not allowed by sudo -n): the plan would stop at"
                    + " the first of them; nothing was run");
        }
        return PreflightCheck.pass(name, "every program of the plan can run as it will (" + invocations.stream()
                .map(Invocation::describe).distinct().count() + " checked" + (combined > 0 ? ", " + combined
                + " combined commands not checked" : "") + ")");
    }

    public static boolean anyFailed(List<PreflightCheck> checks) {
        return checks.stream().anyMatch(PreflightCheck::failed);
    }

    private PreflightCheck backupFiles(InstanceRecovery instance, String label, boolean verifyArchives)
            throws HostCommandException {
        String name = "Backup " + label;
        if (!instance.hasBaseTar(label)) {
            return PreflightCheck.fail(name, "base.tar.gz is missing from " + instance.backupDir(label));
        }
        String files = instance.hasWalTar(label) ? "base.tar.gz and pg_wal.tar.gz" : "base.tar.gz (no pg_wal.tar.gz:"
                + " the WAL from the backup's start must be in the archive)";
        if (instance.restic() != null) {
            return PreflightCheck.pass(name, files + " in restic snapshot " + instance.restic().baseSnapshot()
                    + "; WAL from snapshot " + instance.restic().walSnapshot() + " (restic checks its data as it"
                    + " restores)");
        }
        if (!verifyArchives) {
            return PreflightCheck.pass(name, files + " present with backup_manifest (archives not read)");
        }
        for (String f : instance.hasWalTar(label) ? List.of("base.tar.gz", "pg_wal.tar.gz") : List.of("base.tar.gz")) {
            CommandResult r = shell.run(commands.testGzip(instance.backupDir(label) + "/" + f), Duration.ofHours(1));
            if (!r.succeeded()) {
                return PreflightCheck.fail(name, f + " is damaged: " + r.describeFailure());
            }
        }
        return PreflightCheck.pass(name, files + " read whole without error (gzip -t)");
    }

    private PreflightCheck diskSpace(RestorePlan plan, InstanceRecovery instance) throws HostCommandException {
        String name = "Disk space";
        String parent = parent(plan.dataDir());
        CommandResult r = shell.run(commands.diskFree(parent), TIMEOUT);
        Long availableKb = r.succeeded() ? DfOutput.availableKb(r.stdout()) : null;
        if (availableKb == null) {
            return PreflightCheck.warn(name, "free space on " + parent + " unknown: " + r.describeFailure());
        }
        long compressed = plan.backup().sizeBytes() == null ? 0 : plan.backup().sizeBytes();
        long needed = compressed * EXPANSION;
        String detail = (availableKb / 1024) + " MB free on " + parent + "; the restore needs about "
                + (needed / 1024 / 1024) + " MB (" + EXPANSION + "x the compressed backup)"
                + (plan.mode() == RestoreMode.IN_PLACE ? " beside the data kept aside" : "");
        return availableKb * 1024 >= needed ? PreflightCheck.pass(name, detail) : PreflightCheck.fail(name, detail);
    }

    private PreflightCheck permissions(RestorePlan plan) throws HostCommandException {
        String parent = parent(plan.dataDir());
        CommandResult r = shell.run(commands.writable(parent), TIMEOUT);
        return r.succeeded() ? PreflightCheck.pass("Permissions", parent + " is writable by the server's user")
                : PreflightCheck.fail("Permissions", parent + " is not writable by the server's user: the data"
                        + " directory cannot be moved aside or created (" + r.describeFailure() + ")");
    }

    /**
     * The backup's tablespace tars (read whole when asked) and, in place, that each live tablespace directory can be
     * moved aside and made again by the server's user: checked now, since the instance is stopped before.
     */
    private PreflightCheck tablespaces(RestorePlan plan, InstanceRecovery instance, boolean verifyArchives)
            throws HostCommandException {
        String name = "Tablespaces";
        String label = plan.backup().label();
        if (verifyArchives && instance.restic() == null) {
            for (String oid : plan.tablespaces().keySet()) {
                String tar = instance.backupDir(label) + "/" + oid + ".tar.gz";
                CommandResult r = shell.run(commands.testGzip(tar), Duration.ofHours(1));
                if (!r.succeeded()) {
                    return PreflightCheck.fail(name, oid + ".tar.gz is damaged: " + r.describeFailure());
                }
            }
        }
        if (plan.mode() == RestoreMode.DRILL) {
            return PreflightCheck.pass(name, "tablespace " + String.join(", ", plan.tablespaces().keySet())
                    + " extracted into the scratch copy; the live tablespace directories are not touched");
        }
        java.util.Set<String> parents = new java.util.TreeSet<>();
        plan.replacedTablespaces().values().forEach(l -> parents.add(parent(l)));
        plan.tablespaces().values().forEach(l -> parents.add(parent(l)));
        for (String parent : parents) {
            CommandResult r = shell.run(commands.writable(parent), TIMEOUT);
            if (!r.succeeded()) {
                return PreflightCheck.fail(name, parent + " is not writable by the server's user: a tablespace"
                        + " directory in it cannot be moved aside or created (" + r.describeFailure() + ")");
            }
        }
        return PreflightCheck.pass(name, (plan.replacedTablespaces().isEmpty() ? ""
                : String.join(", ", plan.replacedTablespaces().values()) + " kept aside as "
                + String.join(", ", plan.replacedTablespaces().values().stream().map(plan::kept).toList()) + "; ")
                + (plan.tablespaces().isEmpty() ? "the backup has no tablespace"
                : "the backup's tablespaces extracted into " + String.join(", ", plan.tablespaces().values())));
    }

    private PreflightCheck instanceState(RestorePlan plan, InstanceRecovery instance) {
        String name = "Instance state";
        if (plan.mode() == RestoreMode.DRILL) {
            return PreflightCheck.pass(name, instance.running() ? "running; the drill does not touch it"
                    : "not answering; the drill does not need it");
        }
        return instance.running()
                ? PreflightCheck.warn(name, "running: it will be stopped, and its data directory moved to "
                        + plan.asideDir())
                : PreflightCheck.pass(name, "not answering (" + instance.errors().getOrDefault("sql", "down")
                        + "); its data directory will be moved to " + plan.asideDir());
    }

    private PreflightCheck scratchPort(int port) throws HostCommandException {
        CommandResult r = shell.run(commands.portListeners(port), TIMEOUT);
        if (!r.succeeded()) {
            return PreflightCheck.warn("Scratch port", "could not check port " + port + ": " + r.describeFailure());
        }
        return r.stdout().isBlank() ? PreflightCheck.pass("Scratch port", "port " + port + " is free")
                : PreflightCheck.fail("Scratch port", "port " + port + " is in use: " + r.stdout().strip());
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
