package dev.pgdeck.remote.restore;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.restore.RecoveryLogReader;
import dev.pgdeck.model.restore.RecoveryProgress;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.model.restore.RestorePlanner;
import dev.pgdeck.model.restore.RestoreStep;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.restore.RestoreReport.Outcome;
import dev.pgdeck.remote.restore.StepResult.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a {@link RestorePlan} over any {@link HostShell}, step by step, reporting each step, command, log line and
 * the recovery's progress to a {@link RestoreListener}. A cancel stops a step marked interruptible in the middle
 * (a drill's extraction, a restic restore into staging), else takes effect before the next step marked safe; a
 * drill then (and after a failure) still stops its scratch server and removes its scratch copy, never anything
 * else. A failure or a dropped connection ends the run with an account of what was done and what was not.
 */
public final class RestoreExecutor {
    /** How long commands may take, and how often the recovering server is looked at. */
    public record Options(Duration commandTimeout, Duration extractTimeout, Duration promotionTimeout,
                          Duration pollInterval) {
        public static final Options DEFAULT = new Options(Duration.ofMinutes(5), Duration.ofHours(6),
                Duration.ofHours(6), Duration.ofMillis(500));
    }

    /** How long pg_ctl status must say "no server running" before the wait for promotion gives up. */
    private static final Duration DOWN_FOR = Duration.ofSeconds(10);
    private static final String CURRENT_WAL = "SELECT pg_walfile_name(pg_current_wal_lsn())";
    /** Whether the server still recovers, and whose data directory it serves (never trust a port alone). */
    private static final String STATE = "SELECT pg_is_in_recovery(), current_setting('data_directory')";
    /** The same and, for a restore that pauses at its target, whether replay has paused (PostgreSQL 14+). */
    private static final String PAUSE_STATE = "SELECT pg_is_in_recovery(), current_setting('data_directory'),"
            + " pg_get_wal_replay_pause_state()";

    private final HostShell shell;
    private final ProfileRestoreCommands commands;
    private final Options options;

    public RestoreExecutor(HostShell shell, ProfileRestoreCommands commands, Options options) {
        this.shell = shell;
        this.commands = commands;
        this.options = options;
    }

    public RestoreExecutor(HostShell shell, ProfileRestoreCommands commands) {
        this(shell, commands, Options.DEFAULT);
    }

    /** A step failed: the message says why, in words. */
    private static final class StepFailure extends Exception {
        StepFailure(String message) {
            super(message);
        }
    }

    /** The state of one run, so the steps stay small. */
    private final class Run {
        final RestorePlan plan;
        final RestoreListener listener;
        final RestoreCancel cancel;
        final long startedNanos = System.nanoTime();
        final List<StepResult> results = new ArrayList<>();
        final List<List<String>> verifyRows = new ArrayList<>();
        RecoveryProgress progress = RecoveryProgress.NONE;
        Double rtoSeconds;
        Integer timeline;
        boolean promoted;
        boolean pausedAtTarget;
        boolean workDirCreated;
        boolean cancelled;
        String failure;
        PutBack putBack;

        Run(RestorePlan plan, RestoreListener listener, RestoreCancel cancel) {
            this.plan = plan;
            this.listener = listener;
            this.cancel = cancel;
        }
    }

    public RestoreReport execute(RestorePlan plan, RestoreListener listener, RestoreCancel cancel) {
        Run run = new Run(plan, listener, cancel);
        List<RestoreStep> steps = plan.steps();
        int next = 0;
        for (; next < steps.size(); next++) {
            RestoreStep step = steps.get(next);
            if (cancel.isRequested() && step.safeToCancelBefore()) {
                run.cancelled = true;
                listener.on(new RestoreEvent.Notice("cancelled before \"" + step.name() + "\""));
                break;
            }
            if (!runStep(run, next, step)) {
                next++;
                break;
            }
        }
        for (int j = next; j < steps.size(); j++) {
            RestoreStep step = steps.get(j);
            boolean stopped = run.cancelled || run.failure != null;
            if (stopped && step.cleanup() && run.workDirCreated) {
                runStep(run, j, step);
            } else if (stopped) {
                StepResult r = new StepResult(step.name(), Status.NOT_RUN, 0, "");
                run.results.add(r);
            } else {
                runStep(run, j, step);
            }
        }
        if (run.failure != null && plan.mode() == RestoreMode.IN_PLACE) {
            putBack(run);
        }
        Outcome outcome = run.failure != null ? Outcome.FAILED : run.cancelled ? Outcome.CANCELLED : Outcome.SUCCEEDED;
        // reached only where the server's own "recovery stopping" line names the target asked for
        boolean reached = (run.promoted || run.pausedAtTarget)
                && RecoveryLogReader.stoppedAt(plan.target(), run.progress.stoppingLine());
        return new RestoreReport(plan.instance(), plan.mode(), plan.target().describe(), outcome, reached,
                run.timeline, run.results, run.verifyRows, run.rtoSeconds, run.progress, plan.asideDir(),
                run.putBack != null && run.putBack.succeeded, account(run, outcome));
    }

    /** Runs one step; false when it failed or was cancelled (the caller then stops going forward). */
    private boolean runStep(Run run, int index, RestoreStep step) {
        run.listener.on(new RestoreEvent.StepStarted(index, step));
        long t0 = System.nanoTime();
        Status status = Status.DONE;
        String detail = "";
        try {
            switch (step.kind()) {
                case RUN -> {
                    for (HostCommand c : step.commands()) {
                        CommandResult r = step.interruptibleIn() == null ? command(run, index, c, timeoutFor(step))
                                : run.cancel.interruptibly(() -> command(run, index, c, timeoutFor(step)));
                        if (!r.succeeded()) {
                            throw new StepFailure(r.describeFailure());
                        }
                    }
                    if (step.commands().get(0).equals(commands.makeDataDir(run.plan.workDir()))) {
                        run.workDirCreated = true;
                    }
                    if (step.cleanup() && step.commands().get(0).equals(commands.removeScratch(run.plan.workDir()))) {
                        run.workDirCreated = false;
                    }
                }
                case AWAIT_PAUSE -> {
                    if (!awaitRecovery(run, true)) {
                        status = Status.CANCELLED;
                        detail = "stopped waiting: the server is still recovering";
                    } else {
                        detail = run.promoted ? "promoted on timeline " + run.timeline
                                : "paused at the target, read-only: inspect it, then promote";
                    }
                }
                case AWAIT_PROMOTION -> {
                    if (!awaitRecovery(run, false)) {
                        status = Status.CANCELLED;
                        detail = "stopped waiting: the server is still recovering";
                    } else {
                        detail = "promoted on timeline " + run.timeline;
                    }
                }
                case VERIFY -> {
                    CommandResult r = command(run, index, step.commands().get(0), options.commandTimeout());
                    if (!r.succeeded()) {
                        throw new StepFailure("the verification query failed: " + r.describeFailure());
                    }
                    for (String line : r.stdout().split("\n")) {
                        if (!line.isEmpty()) {
                            run.verifyRows.add(Arrays.asList(line.split("\t", -1)));
                        }
                    }
                    detail = run.verifyRows.size() + " rows";
                }
            }
        } catch (RestoreCancel.Interrupted e) {
            status = Status.CANCELLED;
            detail = endProcessesIn(run, index, step.interruptibleIn());
        } catch (StepFailure e) {
            status = Status.FAILED;
            detail = e.getMessage();
        } catch (HostCommandException e) {
            status = Status.FAILED;
            detail = "the host could not be reached or the command ran too long: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = Status.CANCELLED;
            detail = "interrupted";
        }
        StepResult result = new StepResult(step.name(), status, (System.nanoTime() - t0) / 1e9, detail);
        run.results.add(result);
        run.listener.on(new RestoreEvent.StepFinished(index, result));
        if (status == Status.FAILED && (!step.cleanup() || (run.failure == null && !run.cancelled))) {
            run.failure = step.name() + ": " + detail;
        } else if (status == Status.CANCELLED) {
            run.cancelled = true;
        }
        return status == Status.DONE;
    }

    /** What putting the original data directory back did, for the account. */
    private record PutBack(boolean succeeded, String account) {
    }

    /**
     * An in-place restore failed after the instance was stopped: production must not stay down (issue 12, finding
     * 1). Stops whatever runs on the data directory, keeps the failed attempt as {@code <datadir>.failed-restore-<ts>}
     * (never deleted), moves the original back from where the plan moved it aside, starts the instance and waits
     * until it answers SQL. Only what the plan did is undone: before the move aside it only starts the instance again.
     * A restored server that answers (paused at its target, a failed verification) is left as it is for the operator
     * (promote, or the swap-back plan); a data directory the plan moved as a ZFS dataset is not put back here. In
     * both cases the account says how to put it back.
     */
    private void putBack(Run run) {
        RestorePlan plan = run.plan;
        if (!ran(run, commands.stopInstance(), true)) {
            return; // the instance was never stopped: nothing to put back
        }
        if (ran(run, commands.startInstance(), false) && awaitAnswer(plan, Duration.ZERO) == null) {
            return; // the restored server runs (e.g. paused at its target): left for the operator, with swap back
        }
        boolean movedAside = ran(run, commands.moveAside(plan.dataDir(), plan.asideDir()), false);
        boolean zfsMoved = !movedAside && run.results.stream().anyMatch(r -> r.status() == Status.DONE
                && r.name().equals("Move the data directory aside"));
        if (zfsMoved) {
            return; // the account's manual instructions stand
        }
        String failedCopy = plan.dataDir() + ".failed-restore-" + plan.asideDir().substring(
                plan.asideDir().lastIndexOf(".pre-restore-") + ".pre-restore-".length());
        List<HostCommand> undo = new ArrayList<>();
        List<String> what = new ArrayList<>();
        if (movedAside) {
            undo.add(commands.stopInstance());
            what.add("stop whatever runs on " + plan.dataDir());
            if (run.workDirCreated) {
                undo.add(commands.moveAside(plan.dataDir(), failedCopy));
                what.add("keep the failed attempt as " + failedCopy);
            }
            undo.add(commands.moveAside(plan.asideDir(), plan.dataDir()));
            what.add("move " + plan.asideDir() + " back to " + plan.dataDir());
            // each tablespace as the restore left it: the kept one back (a half-restored one kept beside the failed
            // attempt), the data directory's link pointed at it again
            String failedSuffix = failedCopy.substring(plan.dataDir().length());
            plan.replacedTablespaces().forEach((oid, location) -> {
                undo.add(commands.swapTablespaceBack(location, plan.kept(location), location + failedSuffix,
                        plan.dataDir() + "/pg_tblspc/" + oid, failedCopy + "/pg_tblspc/" + oid));
                what.add("move tablespace " + oid + " back to " + location);
            });
        }
        undo.add(commands.startInstance());
        what.add("start the instance");
        run.listener.on(new RestoreEvent.Notice("the restore failed after the instance was stopped: putting the"
                + " original data directory back (" + String.join(", ", what) + ")"));
        HostCommand moveBack = movedAside ? commands.moveAside(plan.asideDir(), plan.dataDir()) : null;
        boolean back = !movedAside;
        for (int k = 0; k < undo.size(); k++) {
            HostCommand c = undo.get(k);
            String why;
            try {
                CommandResult r = shell.run(c, options.commandTimeout());
                if (r.succeeded()) {
                    back |= c.equals(moveBack);
                    continue;
                }
                why = r.describeFailure();
            } catch (HostCommandException e) {
                why = e.getMessage();
            }
            run.putBack = new PutBack(false, putBackFailed(plan, what.get(k), why, back));
            run.listener.on(new RestoreEvent.Notice(run.putBack.account()));
            return;
        }
        String answers = awaitAnswer(plan, Duration.ofMinutes(2));
        String kept = movedAside && run.workDirCreated ? " The failed attempt is kept at " + failedCopy + "." : "";
        String where = movedAside ? "The original data directory was put back at " + plan.dataDir()
                + (plan.replacedTablespaces().isEmpty() ? "" : " with its tablespaces at "
                + String.join(", ", plan.replacedTablespaces().values()))
                : "Nothing had been moved: the original data directory is still at " + plan.dataDir();
        run.putBack = new PutBack(answers == null, answers == null
                ? where + " and the instance started again; it answers." + kept
                : where + " and the instance was started again, but " + answers + kept);
        run.listener.on(new RestoreEvent.Notice(run.putBack.account()));
    }

    /** Whether the step starting with {@code first} was done (or, {@code orFailed}, at least tried). */
    private static boolean ran(Run run, HostCommand first, boolean orFailed) {
        List<RestoreStep> steps = run.plan.steps();
        for (int i = 0; i < run.results.size() && i < steps.size(); i++) {
            RestoreStep step = steps.get(i);
            if (!step.commands().isEmpty() && step.commands().get(0).equals(first)) {
                Status status = run.results.get(i).status();
                // a stop that failed may still have stopped it: it is started again too
                return status == Status.DONE || (orFailed && status == Status.FAILED);
            }
        }
        return false;
    }

    /**
     * Null once the instance answers SQL on its port, else why not after {@code wait} (at most the promotion timeout;
     * zero: asks once).
     */
    private String awaitAnswer(RestorePlan plan, Duration wait) {
        long deadline = System.nanoTime() + Math.min(options.promotionTimeout().toNanos(), wait.toNanos());
        String last = "it did not answer";
        do {
            try {
                CommandResult r = shell.run(commands.sql(plan.port(), "SELECT 1"), options.commandTimeout());
                if (r.succeeded()) {
                    return null;
                }
                last = "it does not answer SQL yet: " + r.describeFailure();
                Thread.sleep(options.pollInterval().toMillis());
            } catch (HostCommandException e) {
                last = "whether it answers is unknown: " + e.getMessage();
                if (!pause()) {
                    return "waiting for it was interrupted";
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "waiting for it was interrupted";
            }
        } while (System.nanoTime() < deadline);
        return last;
    }

    /** Waits one poll interval; false when interrupted. */
    private boolean pause() {
        try {
            Thread.sleep(options.pollInterval().toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String putBackFailed(RestorePlan plan, String step, String why, boolean back) {
        return "Putting the original data directory back failed at \"" + step + "\": " + why + ". " + (back
                ? "The original data directory is at " + plan.dataDir() + "; start the instance by hand."
                : "The replaced data directory is intact at " + plan.asideDir() + (plan.replacedTablespaces()
                .isEmpty() ? "" : ", its tablespaces at " + keptTablespaces(plan)) + "; to put it back: stop the"
                + " instance, move " + plan.dataDir() + " out of the way and move " + plan.asideDir() + " to "
                + plan.dataDir() + (plan.replacedTablespaces().isEmpty() ? "" : TABLESPACES_BACK)
                + ", then start the instance.");
    }

    /** How an operator puts the tablespaces back by hand, after the data directory. */
    private static final String TABLESPACES_BACK = " (and each kept tablespace back to its location, its pg_tblspc"
            + " link pointed there)";

    private static String keptTablespaces(RestorePlan plan) {
        return String.join(", ", plan.replacedTablespaces().values().stream().map(plan::kept).toList());
    }

    /**
     * After a command was stopped in the middle: ends whatever still runs in {@code dir} (a remote command outlives
     * its closed channel), so the cleanup that follows never races a running extraction.
     */
    private String endProcessesIn(Run run, int index, String dir) {
        String stopped = "stopped in the middle by the cancel; ";
        if (!commands.canStopProcesses()) {
            return stopped + "processes writing into " + dir + " may still run (the host profile has no"
                    + " stopProcessesIn command)";
        }
        try {
            CommandResult r = command(run, index, commands.stopProcessesIn(dir), options.commandTimeout());
            return r.succeeded() ? stopped + "no process is left writing into " + dir
                    : stopped + "processes writing into " + dir + " could not all be ended: " + r.describeFailure();
        } catch (HostCommandException e) {
            return stopped + "whether processes still write into " + dir + " is unknown: " + e.getMessage();
        }
    }

    private CommandResult command(Run run, int index, HostCommand c, Duration timeout) throws HostCommandException {
        run.listener.on(new RestoreEvent.CommandStarted(index, c));
        return shell.run(c, timeout);
    }

    private Duration timeoutFor(RestoreStep step) {
        // extraction and restic restores move the whole backup: they get the long timeout
        return step.name().startsWith("Extract") || step.name().endsWith("from restic") ? options.extractTimeout()
                : options.commandTimeout();
    }

    /**
     * Follows the server log and polls pg_is_in_recovery() until it is false ({@code untilPaused}: or replay has
     * paused, as asked); true when promoted (or paused), false when a cancel stopped the wait. A recovery that ended
     * before its target, paused unasked, or stopped with a FATAL fails.
     */
    private boolean awaitRecovery(Run run, boolean untilPaused)
            throws HostCommandException, StepFailure, InterruptedException {
        long deadline = System.nanoTime() + options.promotionTimeout().toNanos();
        String work = run.plan.workDir();
        HostCommand log = commands.serverLog(work, work + "/" + RestorePlanner.MARKER);
        int[] seen = {0};
        long downSince = -1; // when pg_ctl status first said no server runs on the restored directory
        while (true) {
            RecoveryProgress now = followLog(run, log, seen);
            CommandResult r = shell.run(commands.sql(run.plan.port(), untilPaused ? PAUSE_STATE : STATE),
                    options.commandTimeout());
            String[] state = r.succeeded() ? r.stdout().strip().split("\t", -1) : new String[0];
            downSince = r.succeeded() || !serverGone(work) ? -1 : downSince < 0 ? System.nanoTime() : downSince;
            if (downSince >= 0 && System.nanoTime() - downSince > DOWN_FOR.toNanos()) {
                throw new StepFailure("the server on " + work + " is no longer running (pg_ctl status: no server"
                        + " running, for " + DOWN_FOR.toSeconds() + " s) and its log says nothing of why"
                        + (now.restoredSegments() > 0 ? "; " + now.restoredSegments() + " segments were restored" : "")
                        + ": it was killed or could not start");
            }
            if (state.length >= 2 && !sameDir(state[1], work)) {
                throw new StepFailure("port " + run.plan.port() + " is answered by the server of " + state[1]
                        + ", not by the restored " + work + ": the restored server did not start there (port taken?);"
                        + " nothing was verified against the wrong server");
            }
            if (untilPaused && state.length == 3 && state[0].equals("t") && state[2].equals("paused")) {
                run.progress = followLog(run, log, seen);
                run.pausedAtTarget = true;
                run.rtoSeconds = (System.nanoTime() - run.startedNanos) / 1e9;
                return true;
            }
            if (state.length >= 2 && state[0].equals("f")) {
                // the log is read once more: recovery may have ended between the last read and this check
                run.progress = followLog(run, log, seen);
                run.promoted = true;
                run.rtoSeconds = (System.nanoTime() - run.startedNanos) / 1e9;
                run.timeline = currentTimeline(run);
                return true;
            }
            if (now.endedBeforeTarget() || (now.paused() && !untilPaused) || now.serverStopped()) {
                throw new StepFailure(now.problem());
            }
            if (System.nanoTime() > deadline) {
                throw new StepFailure("recovery did not finish within " + options.promotionTimeout().toMinutes()
                        + " min; the server is still recovering (" + now.restoredSegments() + " segments restored)");
            }
            if (run.cancel.awaitFor(options.pollInterval())) {
                run.listener.on(new RestoreEvent.Notice("cancel requested: no longer waiting; the server keeps"
                        + " recovering"));
                return false;
            }
        }
    }

    /**
     * Whether no server runs on {@code dataDir} ({@code pg_ctl status} exits 3). Only asked while the server does not
     * answer SQL; a server just started (or a service still starting) is given {@link #DOWN_FOR} to show up.
     */
    private boolean serverGone(String dataDir) throws HostCommandException {
        return commands.canCheckServer()
                && shell.run(commands.serverStatus(dataDir), options.commandTimeout()).exitCode() == 3;
    }

    /** Reads the restored server's log, reports the lines not seen yet and the progress when it changed. */
    private RecoveryProgress followLog(Run run, HostCommand log, int[] seen) throws HostCommandException {
        String text = shell.run(log, options.commandTimeout()).stdout();
        String[] lines = text.isEmpty() ? new String[0] : text.split("\n");
        for (int k = seen[0]; k < lines.length; k++) {
            run.listener.on(new RestoreEvent.LogLine(lines[k]));
        }
        seen[0] = Math.max(seen[0], lines.length);
        RecoveryProgress now = RecoveryLogReader.read(text);
        if (!now.equals(run.progress)) {
            run.progress = now;
            run.listener.on(new RestoreEvent.Progress(now));
        }
        return now;
    }

    private static boolean sameDir(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private Integer currentTimeline(Run run) throws HostCommandException {
        CommandResult r = shell.run(commands.sql(run.plan.port(), CURRENT_WAL), options.commandTimeout());
        String wal = r.stdout().strip();
        if (r.succeeded() && wal.length() == 24) {
            return Integer.parseInt(wal.substring(0, 8), 16);
        }
        return run.progress.newTimeline();
    }

    private static String account(Run run, Outcome outcome) {
        StringBuilder sb = new StringBuilder();
        List<String> done = run.results.stream().filter(r -> r.status() == Status.DONE).map(StepResult::name).toList();
        List<String> notRun = run.results.stream().filter(r -> r.status() == Status.NOT_RUN).map(StepResult::name)
                .toList();
        sb.append(switch (outcome) {
            case SUCCEEDED -> run.pausedAtTarget ? "The restore reached its target and recovery is paused there:"
                    + " the instance is read-only for you to inspect. Promote it when the data is right (SELECT"
                    + " pg_promote()), or restore again to a later target."
                    : "The " + (run.plan.mode() == RestoreMode.DRILL ? "drill" : "restore") + " succeeded.";
            case FAILED -> "The " + (run.plan.mode() == RestoreMode.DRILL ? "drill" : "restore") + " failed at "
                    + run.failure + ".";
            case CANCELLED -> "Cancelled by the operator.";
        });
        sb.append(" Done: ").append(done.isEmpty() ? "nothing" : String.join(", ", done)).append('.');
        if (!notRun.isEmpty()) {
            sb.append(" Not run: ").append(String.join(", ", notRun)).append('.');
        }
        RestorePlan plan = run.plan;
        if (run.putBack != null) {
            sb.append(' ').append(run.putBack.account());
        } else if (plan.mode() == RestoreMode.IN_PLACE && done.contains("Move the data directory aside")) {
            boolean tablespaces = done.contains("Move the tablespaces aside");
            sb.append(" The replaced data directory is intact at ").append(plan.asideDir());
            if (tablespaces) {
                sb.append(", its tablespaces at ").append(keptTablespaces(plan));
            }
            sb.append(outcome == Outcome.SUCCEEDED ? "." : "; to put it back: stop the instance, move "
                    + plan.dataDir() + " out of the way and move " + plan.asideDir() + " to " + plan.dataDir()
                    + (tablespaces ? TABLESPACES_BACK : "") + ".");
        }
        if (plan.mode() == RestoreMode.DRILL && run.workDirCreated) {
            sb.append(" The scratch copy ").append(plan.workDir()).append(" is still there (its removal did not run).");
        }
        String stopping = run.progress.stoppingLine();
        if (stopping != null && !RecoveryLogReader.stoppedAt(plan.target(), stopping)) {
            sb.append(" The server's log says \"").append(stopping).append("\", which is not the target asked for ("
                    + plan.target().describe() + "): the target is not reported as reached.");
        }
        if (run.progress.problem() != null && outcome != Outcome.SUCCEEDED) {
            sb.append(' ').append(run.progress.problem());
        }
        return sb.toString();
    }
}
