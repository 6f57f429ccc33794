package dev.pgdeck.app.restore;

import dev.pgdeck.app.common.TaskRunner;
import dev.pgdeck.model.restore.RecoveryProgress;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.model.restore.RestoreStep;
import dev.pgdeck.remote.restore.RestoreCancel;
import dev.pgdeck.remote.restore.RestoreEvent;
import dev.pgdeck.remote.restore.RestoreExecutor;
import dev.pgdeck.remote.restore.RestoreListener;
import dev.pgdeck.remote.restore.RestoreReport;
import dev.pgdeck.remote.restore.RestoreWorkflow;
import dev.pgdeck.remote.restore.StepResult;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * A restore under way and what follows it: the step list with states and seconds, the live log (commands as they
 * run, the server's log lines, notices), cancel at the executor's safe points, the report, and the actions after
 * it (swap back, new base backup, resume replay / promote). Events come from the executor's thread through
 * {@code fx}.
 */
public final class RestoreRunModel {
    /** The log keeps this many lines: a long replay writes a line per segment. */
    static final int LOG_LINES = 5000;

    private final TaskRunner tasks;
    private final Executor fx;

    private final ObservableList<StepRow> steps = FXCollections.observableArrayList();
    private final ObservableList<String> log = FXCollections.observableArrayList();
    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final BooleanProperty finished = new SimpleBooleanProperty(false);
    private final BooleanProperty cancelRequested = new SimpleBooleanProperty(false);
    private final StringProperty runMessage = new SimpleStringProperty("");
    private final StringProperty progressText = new SimpleStringProperty("");
    private final ObjectProperty<RestoreReport> report = new SimpleObjectProperty<>();
    private final ObservableList<List<String>> verifyRows = FXCollections.observableArrayList();
    private final StringProperty afterMessage = new SimpleStringProperty("");
    private final BooleanProperty swappedBack = new SimpleBooleanProperty(false);
    /** Set once Promote or Resume replay ended a paused recovery from the after page. */
    private final BooleanProperty leftRecovery = new SimpleBooleanProperty(false);
    private final StringProperty drillLogText = new SimpleStringProperty("");

    private RestoreConnection connection;
    private RestorePlan plan;
    private RestoreCancel cancel;

    RestoreRunModel(TaskRunner tasks, Executor fx) {
        this.tasks = tasks;
        this.fx = fx;
    }

    void start(RestoreConnection c, RestorePlan p) {
        reset();
        connection = c;
        plan = p;
        cancel = new RestoreCancel();
        for (int i = 0; i < p.steps().size(); i++) {
            steps.add(new StepRow(i + 1, p.steps().get(i).name()));
        }
        running.set(true);
        busy.set(true);
        runMessage.set((p.mode() == RestoreMode.DRILL ? "Drill of " : "Restore of ") + p.instance() + " to "
                + p.target().describe() + " from " + p.source() + "…");
        RestoreCancel thisCancel = cancel;
        tasks.run("restore-run", () -> c.workflow().execute(p, listener(), thisCancel,
                RestoreExecutor.Options.DEFAULT), r -> {
            running.set(false);
            busy.set(false);
            // the report is the whole account: steps skipped after a cancel or failure send no event
            for (int i = 0; i < r.steps().size() && i < steps.size(); i++) {
                StepResult step = r.steps().get(i);
                steps.get(i).set(RestoreTexts.state(step.status()), step.status() == StepResult.Status.NOT_RUN
                        ? "" : RestoreTexts.seconds(step.seconds()));
            }
            report.set(r);
            verifyRows.setAll(r.verifyRows());
            runMessage.set(r.account());
            finished.set(true);
            if (p.mode() == RestoreMode.DRILL) {
                readDrillLog(c);
            }
        }, error -> {
            running.set(false);
            busy.set(false);
            runMessage.set("The run stopped unexpectedly: " + RestoreWizardModel.words(error)
                    + ". Look at the log for the last step that ran; an in-place restore's replaced data is at "
                    + (p.asideDir() == null ? "its data directory" : p.asideDir()) + ".");
            finished.set(true);
        });
    }

    /** What the host view will show: the last successful drill of the instance, from the drill log. */
    private void readDrillLog(RestoreConnection c) {
        tasks.run("restore-drill-log", () -> c.workflow().drills().lastSuccessful(), last -> drillLogText.set(
                last.map(d -> "pgdeck's drill log: the last successful drill of " + c.instance() + " ran at "
                        + RestoreTexts.time(d.at().toInstant()) + " to " + d.target() + " from " + d.source()
                        + (d.rtoSeconds() == null ? "" : String.format(", recovery time %.1f s", d.rtoSeconds()))
                        + ".").orElse("pgdeck's drill log has no successful drill of " + c.instance() + ".")),
                error -> drillLogText.set("pgdeck's drill log could not be read: "
                        + RestoreWizardModel.words(error)));
    }

    private RestoreListener listener() {
        return event -> fx.execute(() -> on(event));
    }

    private void on(RestoreEvent event) {
        if (event instanceof RestoreEvent.StepStarted s) {
            row(s.index()).set("▶ running", "");
            runMessage.set((s.index() + 1) + ". " + s.step().name() + (s.step().explanation().isEmpty() ? ""
                    : " — " + s.step().explanation()));
        } else if (event instanceof RestoreEvent.CommandStarted c) {
            append("$ " + c.command().shellLine());
        } else if (event instanceof RestoreEvent.StepFinished f) {
            StepResult r = f.result();
            row(f.index()).set(RestoreTexts.state(r.status()), RestoreTexts.seconds(r.seconds()));
            if (r.status() == StepResult.Status.FAILED || !r.detail().isEmpty()) {
                append("pgdeck: " + r.name() + ": " + r.status().name().toLowerCase() + (r.detail().isEmpty() ? ""
                        : " — " + r.detail()));
            }
        } else if (event instanceof RestoreEvent.LogLine l) {
            append(l.line());
        } else if (event instanceof RestoreEvent.Progress p) {
            progressText.set(RestoreTexts.progress(p.progress()));
        } else if (event instanceof RestoreEvent.Notice n) {
            append("pgdeck: " + n.text());
            runMessage.set(n.text());
        }
    }

    private StepRow row(int index) {
        return steps.get(index);
    }

    private void append(String line) {
        log.add(line);
        if (log.size() > LOG_LINES) {
            log.remove(0, log.size() - LOG_LINES);
        }
    }

    /**
     * Stops a step that only writes into a copy the cancel gives up (a drill's extraction) at once, any other at the
     * next safe point (the executor decides); a drill still removes its scratch copy.
     */
    public void cancel() {
        if (!running.get() || cancel == null) {
            return;
        }
        cancel.request();
        cancelRequested.set(true);
        runMessage.set(plan != null && plan.mode() == RestoreMode.DRILL
                ? "Cancelling: the drill stops now, then removes its scratch copy…"
                : "Cancelling at the next safe point (the instance is never left half-moved)…");
    }

    void reset() {
        steps.clear();
        log.clear();
        report.set(null);
        verifyRows.clear();
        progressText.set("");
        afterMessage.set("");
        swappedBack.set(false);
        leftRecovery.set(false);
        drillLogText.set("");
        cancelRequested.set(false);
        finished.set(false);
    }

    /** Whether the server left recovery: the wait-for-promotion step ended done. */
    public boolean promoted() {
        return leftRecovery.get()
                || !pausedAtTarget() && promotionWait().map(s -> s.status() == StepResult.Status.DONE).orElse(false);
    }

    /** Whether recovery paused at the target as asked (pause at the target): read-only until promoted. */
    public boolean pausedAtTarget() {
        return !leftRecovery.get() && plan != null && plan.steps().stream().anyMatch(s -> s.kind() == RestoreStep.Kind.AWAIT_PAUSE)
                && promotionWait().map(s -> s.status() == StepResult.Status.DONE && s.detail().startsWith("paused"))
                .orElse(false);
    }

    /** How the wait for promotion (where pg_is_in_recovery() is polled) ended; empty before a report. */
    public java.util.Optional<StepResult> promotionWait() {
        RestoreReport r = report.get();
        if (r == null || plan == null) {
            return java.util.Optional.empty();
        }
        for (int i = 0; i < plan.steps().size() && i < r.steps().size(); i++) {
            RestoreStep.Kind kind = plan.steps().get(i).kind();
            if (kind == RestoreStep.Kind.AWAIT_PROMOTION || kind == RestoreStep.Kind.AWAIT_PAUSE) {
                return java.util.Optional.of(r.steps().get(i));
            }
        }
        return java.util.Optional.empty();
    }

    public RecoveryProgress progress() {
        RestoreReport r = report.get();
        return r == null || r.progress() == null ? RecoveryProgress.NONE : r.progress();
    }

    /** Whether the step named {@code name} ran to its end in the report. */
    public boolean done(String name) {
        RestoreReport r = report.get();
        return r != null && r.steps().stream().anyMatch(s -> s.name().equals(name)
                && s.status() == StepResult.Status.DONE);
    }

    /** Whether the run got as far as putting the instance's data aside (a directory moved, or a dataset renamed). */
    public boolean replacedAside() {
        return done("Move the data directory aside") || done("Rename the dataset aside");
    }

    public boolean canSwapBack() {
        RestoreReport r = report.get();
        return r != null && plan != null && plan.mode() == RestoreMode.IN_PLACE && plan.asideDir() != null
                && !swappedBack.get() && replacedAside();
    }

    /** Puts the replaced data directory back (the restored one is kept aside too); asked for by the operator. */
    public void swapBack() {
        if (busy.get() || !canSwapBack()) {
            return;
        }
        RestoreWorkflow w = connection.workflow();
        RestorePlan back = w.swapBackPlan(plan);
        busy.set(true);
        afterMessage.set("Swapping back: " + plan.asideDir() + " becomes " + plan.dataDir() + " again…");
        append("pgdeck: swap back");
        tasks.run("restore-swap-back", () -> w.execute(back, listener(), new RestoreCancel(),
                RestoreExecutor.Options.DEFAULT), r -> {
            busy.set(false);
            swappedBack.set(r.succeeded());
            // the executor's account calls the restored copy "the replaced data": say which copy is which
            afterMessage.set(r.succeeded() ? "Swapped back: " + plan.dataDir() + " holds the data from before the"
                    + " restore again; the restored copy is kept at " + back.asideDir() + " (not deleted)."
                    : r.account());
        }, error -> {
            busy.set(false);
            afterMessage.set("Swap back failed: " + RestoreWizardModel.words(error));
        });
    }

    /** A base backup on the new timeline: the old ones cannot reach it. */
    public void takeBaseBackup() {
        if (busy.get() || connection == null) {
            return;
        }
        busy.set(true);
        afterMessage.set("Taking a base backup of " + connection.instance() + "…");
        RestoreConnection c = connection;
        tasks.run("restore-base-backup", () -> c.actions().baseBackupNow(c.instance(), c.port()), r -> {
            busy.set(false);
            afterMessage.set(r.succeeded() ? "A new base backup of " + c.instance() + " was taken."
                    : "The base backup failed: " + r.describeFailure());
        }, error -> {
            busy.set(false);
            afterMessage.set("The base backup failed: " + RestoreWizardModel.words(error));
        });
    }

    public void resumeReplay() {
        serverAction("resume replay", w -> w.resumeReplay(plan.port()));
    }

    /** Whether a paused recovery was ended from the after page (Promote or Resume replay succeeded). */
    public boolean leftRecovery() {
        return leftRecovery.get();
    }

    public BooleanProperty leftRecoveryProperty() { return leftRecovery; }

    public void promote() {
        // in place, promoting also clears the recovery settings the plan wrote (they stayed while it was paused)
        serverAction("promote", w -> plan.mode() == RestoreMode.IN_PLACE ? w.promote(plan) : w.promote(plan.port()));
    }

    private interface Action {
        RestoreWorkflow.HostCommandResult apply(RestoreWorkflow w) throws Exception;
    }

    private void serverAction(String what, Action action) {
        if (busy.get() || connection == null) {
            return;
        }
        busy.set(true);
        afterMessage.set(what + "…");
        RestoreWorkflow w = connection.workflow();
        tasks.run("restore-" + what.replace(' ', '-'), () -> action.apply(w), r -> {
            busy.set(false);
            afterMessage.set(r.succeeded() ? what + ": done" + (r.output().isEmpty() ? "." : " (" + r.output() + ").")
                    : what + " failed: " + r.output());
            if (r.succeeded()) {
                leftRecovery.set(true);
            }
        }, error -> {
            busy.set(false);
            afterMessage.set(what + " failed: " + RestoreWizardModel.words(error));
        });
    }

    public RestorePlan plan() { return plan; }
    public ObservableList<StepRow> steps() { return steps; }
    public ObservableList<String> log() { return log; }
    public BooleanProperty runningProperty() { return running; }
    public BooleanProperty busyProperty() { return busy; }
    public BooleanProperty finishedProperty() { return finished; }
    public BooleanProperty cancelRequestedProperty() { return cancelRequested; }
    public StringProperty runMessageProperty() { return runMessage; }
    public StringProperty progressTextProperty() { return progressText; }
    public ObjectProperty<RestoreReport> reportProperty() { return report; }
    public ObservableList<List<String>> verifyRows() { return verifyRows; }
    public StringProperty afterMessageProperty() { return afterMessage; }
    public BooleanProperty swappedBackProperty() { return swappedBack; }
    public StringProperty drillLogTextProperty() { return drillLogText; }
}
