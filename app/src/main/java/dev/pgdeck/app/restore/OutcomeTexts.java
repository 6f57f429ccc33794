package dev.pgdeck.app.restore;

import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.remote.restore.RestoreReport;
import dev.pgdeck.remote.restore.StepResult;

/** What the verification and after pages say about a finished run, in words (the controller only shows it). */
final class OutcomeTexts {
    private OutcomeTexts() {}

    /** The verification page's headline. */
    static String title(RestoreRunModel run, RestoreReport report) {
        boolean ok = report.succeeded() && report.reached();
        String what = report.mode() == RestoreMode.DRILL ? "drill" : "restore";
        return switch (report.outcome()) {
            case SUCCEEDED -> ok && run.pausedAtTarget() ? "The restore reached " + report.target()
                    + " and is paused there, read-only: check the data, then Promote"
                    : ok ? "The " + what + " succeeded: " + report.target() + " reached"
                    : "The " + what + " ran, but the target was not reached";
            case FAILED -> "The " + what + " failed";
            case CANCELLED -> "The " + what + " was cancelled";
        };
    }

    /** What pg_is_in_recovery() said at the end, and why. */
    static String inRecovery(RestoreRunModel run) {
        var wait = run.promotionWait();
        if (run.pausedAtTarget()) {
            return "true, paused at the target as asked: read-only until you promote it (after the verification, on"
                    + " the last page)";
        }
        if (run.promoted()) {
            return "false: the server left recovery and accepts writes";
        }
        if (wait.isEmpty() || wait.get().status() == StepResult.Status.NOT_RUN) {
            return "not asked: the run stopped before the restored server was started and polled";
        }
        return "still true: the server did not leave recovery" + (wait.get().detail().isEmpty() ? ""
                : " (" + wait.get().detail() + ")");
    }

    /** Where the data is now and what to do next. */
    static String afterAdvice(RestoreRunModel run) {
        RestoreReport report = run.reportProperty().get();
        RestorePlan plan = run.plan();
        if (report == null || plan == null) {
            return "The run ended without a report; see the log on the execution page.";
        }
        if (plan.mode() != RestoreMode.IN_PLACE) {
            return "A drill leaves " + plan.instance() + " as it was: there is nothing to swap back. The scratch copy "
                    + plan.workDir() + " was removed by the drill's last step.";
        }
        if (run.swappedBackProperty().get()) {
            return "The data that was replaced is back in " + plan.dataDir() + ".";
        }
        if (!run.replacedAside()) {
            return "Nothing was replaced: the run stopped before the data of " + plan.instance() + " was put aside, so"
                    + " it is where it was." + (run.done("Stop the instance") && !run.done("Start the instance")
                    ? " The instance was stopped and not started again: start it." : "");
        }
        if (plan.backup() == null && plan.source().startsWith("ZFS snapshot")) {
            return "The replaced dataset is kept, renamed aside and mounted at " + plan.asideDir() + ". Swap back"
                    + " renames it into place again (zfs rename; the clone is renamed aside and kept too, nothing is"
                    + " destroyed).";
        }
        String advice = "The data that was replaced is kept at " + plan.asideDir() + ". Swap back puts it in place"
                + " again (the restored copy is kept aside too).";
        if (run.promoted()) {
            advice += " The restored instance now writes " + (report.timeline() == null || run.leftRecovery()
                    ? "a new timeline" : "timeline " + report.timeline()) + ": base backups taken before the restore"
                    + " cannot recover it past this point, so take a new base backup now.";
        }
        return advice;
    }

    /** A recovery still paused (asked for, or not) or stopped short, in words; empty when there is none. */
    static String afterProblem(RestoreRunModel run) {
        if (run.leftRecovery()) {
            return "";
        }
        if (run.pausedAtTarget()) {
            return "Recovery is paused at the target, as asked: Promote ends it (and clears the recovery settings);"
                    + " Resume replay also ends it here, since the target was reached.";
        }
        String problem = run.progress().problem();
        return problem == null ? "" : problem;
    }
}
