package dev.pgdeck.app;

import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.model.restore.TargetCheck;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.restore.InstanceRecovery;
import dev.pgdeck.remote.restore.RestoreEvent;
import dev.pgdeck.remote.restore.RestoreListener;
import dev.pgdeck.remote.restore.RestoreWorkflow;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/** The shared part of `restore` and `drill`: read the instance, validate the target, pick the backup, plan. */
final class RestorePreparation {
    record Prepared(RestoreWorkflow workflow, InstanceRecovery state, RestorePlan plan) {
    }

    private RestorePreparation() {}

    /** Where the backup and WAL come from: the host's own directories, or restic (seed 002 scenario 4). */
    record Source(boolean restic, String baseSnapshot, String walSnapshot) {
        static final Source LOCAL = new Source(false, null, null);
    }

    static Prepared prepare(RestoreHost host, RecoveryTarget target, String backupLabel, Integer timelineOption,
                            RestoreMode mode, Integer scratchPort, String verifySql, Source source)
            throws RestoreHost.Refused, HostCommandException {
        return prepare(host, target, backupLabel, timelineOption, mode, scratchPort, verifySql, source, false);
    }

    /** As above; {@code pauseAtTarget}: recovery pauses at the target, read-only, instead of promoting. */
    static Prepared prepare(RestoreHost host, RecoveryTarget target, String backupLabel, Integer timelineOption,
                            RestoreMode mode, Integer scratchPort, String verifySql, Source source,
                            boolean pauseAtTarget) throws RestoreHost.Refused, HostCommandException {
        return prepare(host, target, backupLabel, timelineOption, mode, scratchPort, verifySql, null, source,
                pauseAtTarget);
    }

    /** As above; {@code verifyDatabase}: where the verification query runs (null: the largest database). */
    static Prepared prepare(RestoreHost host, RecoveryTarget target, String backupLabel, Integer timelineOption,
                            RestoreMode mode, Integer scratchPort, String verifySql, String verifyDatabase,
                            Source source, boolean pauseAtTarget) throws RestoreHost.Refused, HostCommandException {
        RestoreWorkflow w = host.workflow();
        InstanceRecovery state = source.restic() ? w.readFromRestic(source.baseSnapshot(), source.walSnapshot())
                : w.read();
        if (!state.blockingErrors().isEmpty()) {
            throw new RestoreHost.Refused("the archive or the backups of " + host.instance + " could not be read: "
                    + String.join("; ", state.blockingErrors()));
        }
        int timeline = timelineOption != null ? timelineOption : state.currentTimeline();
        BaseBackup backup;
        if (backupLabel != null) {
            Optional<BaseBackup> named = state.facts().backups().stream()
                    .filter(b -> b.label().equals(backupLabel)).findFirst();
            if (named.isEmpty()) {
                throw new RestoreHost.Refused("there is no base backup \"" + backupLabel + "\"; there are: "
                        + state.facts().backups().stream().map(BaseBackup::label).toList());
            }
            backup = named.get();
            TargetCheck check = w.check(state, target, backup, timeline);
            if (!check.valid()) {
                throw new RestoreHost.Refused("target " + target.describe() + " is not valid: " + check.reason());
            }
        } else {
            Optional<BaseBackup> chosen = w.chooseBackup(state, target, timeline);
            if (chosen.isEmpty()) {
                throw new RestoreHost.Refused("target " + target.describe() + " is not valid: "
                        + w.explain(state, target, timeline).reason());
            }
            backup = chosen.get();
        }
        int port = scratchPort != null ? scratchPort : RestoreWorkflow.defaultScratchPort(host.port);
        return new Prepared(w, state, w.plan(state, target, backup, timeline, mode, port, verifySql, verifyDatabase,
                pauseAtTarget));
    }

    static void printChecks(PrintWriter err, List<PreflightCheck> checks) {
        for (PreflightCheck c : checks) {
            err.println("pgdeck: pre-flight " + c.status() + "  " + c.name() + ": " + c.detail());
        }
    }

    /** Steps and notices on standard error, so standard output stays the result. */
    static RestoreListener progressTo(PrintWriter err) {
        return event -> {
            if (event instanceof RestoreEvent.StepStarted s) {
                err.println("pgdeck: " + (s.index() + 1) + ". " + s.step().name());
            } else if (event instanceof RestoreEvent.StepFinished f) {
                err.printf("pgdeck:    %s in %.1f s%s%n", f.result().status(), f.result().seconds(),
                        f.result().detail().isEmpty() ? "" : " (" + f.result().detail() + ")");
            } else if (event instanceof RestoreEvent.Notice n) {
                err.println("pgdeck: " + n.text());
            }
            err.flush();
        };
    }
}
