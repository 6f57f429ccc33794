package dev.pgdeck.app;

import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.restore.RestorePreflight;
import dev.pgdeck.remote.restore.RestoreReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Point-in-time restore of an instance in place (seed 002, scenario 2). --dry-run prints the"
                + " plan as a shell script; --in-place --confirm INSTANCE runs it: the data directory is moved to"
                + " <datadir>.pre-restore-<timestamp>, never deleted. No --host means the sandbox.")
final class RestoreCommand implements Callable<Integer> {
    @Mixin
    RestoreOptions options;


    @ArgGroup(exclusive = true, multiplicity = "1")
    TargetOptions target;

    @Option(names = "--dry-run", description = "Print the plan as a shell script and exit")
    boolean dryRun;

    @Option(names = "--in-place", description = "Run the restore, replacing the instance's data")
    boolean inPlace;

    @Option(names = "--confirm", paramLabel = "INSTANCE", description = "The instance's name, typed again")
    String confirm;

    @Option(names = "--pause-at-target", description = "Pause recovery at the target, read-only, instead of promoting:"
            + " inspect the data, then promote (SELECT pg_promote()) or restore again to a later target")
    boolean pauseAtTarget;

    @Option(names = "--from-zfs", description = "Restore the instance's ZFS dataset as at the newest snapshot not"
            + " after --target-time (or now with --latest): seed 002 scenario 1, without destroying anything")
    boolean fromZfs;

    @Spec
    CommandSpec spec;

    /** The ZFS variant: no base backup, no WAL replay beyond the snapshot's own; time or latest only. */
    private int zfs(RestoreHost h, PrintWriter out, PrintWriter err) throws HostCommandException {
        dev.pgdeck.model.restore.RecoveryTarget t = target.target();
        java.time.Instant at = switch (t.kind()) {
            case TIME -> t.time().toInstant();
            case LATEST -> java.time.Instant.now();
            default -> throw new IllegalArgumentException("--from-zfs takes --target-time or --latest: a ZFS snapshot"
                    + " is an image at one moment, not a WAL position");
        };
        dev.pgdeck.model.restore.RestorePlan plan = h.workflow().zfsPlan(h.workflow().readZfs(), at,
                options.verifySql, options.verifyDatabase);
        if (dryRun) {
            out.print(plan.toShellScript());
            out.flush();
            return 0;
        }
        RestoreReport report = CancelOnExit.execute(h.workflow(), plan, RestorePreparation.progressTo(err), err);
        out.println(report.account());
        report.verifyRows().forEach(row -> out.println(String.join("\t", row)));
        out.flush();
        return report.succeeded() ? 0 : 1;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!dryRun && !inPlace) {
            err.println("pgdeck restore: add --dry-run to print the plan, or --in-place --confirm <instance> to run"
                    + " it (a drill is `pgdeck drill`)");
            return 2;
        }
        RecoveryTarget parsed;
        try { // read before the host is opened: a malformed target, timeline or port is one line, at once
            parsed = target.target();
            options.check();
        } catch (IllegalArgumentException e) {
            err.println("pgdeck restore: " + e.getMessage());
            return 3;
        }
        try (RestoreHost h = RestoreHost.open(options.host, options.instance, new CommandLog(), err)) {
            if (inPlace && !dryRun && !h.instance.equals(confirm)) {
                err.println("pgdeck restore: an in-place restore replaces " + h.instance + "'s data: confirm it with"
                        + " --confirm " + h.instance + (confirm == null ? "" : " (got \"" + confirm + "\")"));
                return 2;
            }
            if (fromZfs) {
                return zfs(h, out, err);
            }
            RestorePreparation.Prepared p = RestorePreparation.prepare(h, parsed, options.backup,
                    options.timeline, RestoreMode.IN_PLACE, null, options.verifySql, options.verifyDatabase,
                    options.source(), pauseAtTarget);
            if (dryRun) {
                out.print(p.plan().toShellScript());
                out.flush();
                return 0;
            }
            List<PreflightCheck> checks = p.workflow().preflight(p.plan(), p.state(), false);
            RestorePreparation.printChecks(err, checks);
            if (RestorePreflight.anyFailed(checks)) {
                err.println("pgdeck restore: a pre-flight check failed; nothing was changed");
                return 3;
            }
            RestoreReport report = CancelOnExit.execute(p.workflow(), p.plan(),
                    RestorePreparation.progressTo(err), err);
            out.println(report.account());
            report.verifyRows().forEach(row -> out.println(String.join("\t", row)));
            out.flush();
            return report.succeeded() ? 0 : 1;
        } catch (RestoreHost.Refused | IllegalArgumentException e) {
            err.println("pgdeck restore: " + e.getMessage());
            return 3;
        } catch (HostCommandException e) {
            err.println("pgdeck restore: the host could not be read: " + e.getMessage());
            return 1;
        }
    }
}
