package dev.pgdeck.app.instance;

import dev.pgdeck.app.common.TaskRunner;
import dev.pgdeck.app.main.ConsoleHosts;
import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.model.CommandLogEntry;
import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.probe.HostActions.Planned;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The operator's actions on the selected instance: take a base backup now, switch WAL, create a restore point. Each
 * is planned first (its exact command, for the confirmation), then run off the JavaFX thread with the status bar's
 * progress and Cancel, its output streamed line by line into the command log.
 */
public final class InstanceActions {
    public enum Action { BASE_BACKUP, SWITCH_WAL, RESTORE_POINT }

    /** A planned action and where it runs. */
    public record Confirmation(Action action, String hostName, InstanceStatus instance, String restorePointName,
                               HostActions actions, Planned planned) {}

    private final ConsoleHosts hosts;
    private final TaskRunner tasks;
    private final MainViewModel main;
    private final CommandLog log;
    private final Consumer<Runnable> fxThread;
    private final InstanceDetailViewModel detail;

    public InstanceActions(ConsoleHosts hosts, TaskRunner tasks, MainViewModel main, CommandLog log,
                           Consumer<Runnable> fxThread, InstanceDetailViewModel detail) {
        this.hosts = hosts;
        this.tasks = tasks;
        this.main = main;
        this.log = log;
        this.fxThread = fxThread;
        this.detail = detail;
    }

    /**
     * Builds the action's command for the selected instance (off the JavaFX thread: it may read the profile), then
     * hands it to {@code confirm}; a problem (no instance, a bad name) goes to {@code problem} in words.
     */
    public void plan(Action action, String restorePointName, Consumer<Confirmation> confirm,
                     Consumer<String> problem) {
        HostStatus host = main.selectedHostProperty().get();
        InstanceStatus instance = main.selectedInstanceProperty().get();
        if (host == null || instance == null) {
            problem.accept("Select an instance first.");
            return;
        }
        tasks.run("plan-action", () -> {
            HostActions actions = hosts.actions(host.name()).orElseThrow(() -> new IllegalStateException(
                    host.name() + " has no actions yet: it has not answered a refresh"));
            Planned planned = switch (action) {
                case BASE_BACKUP -> actions.planBaseBackup(instance.name(), instance.port());
                case SWITCH_WAL -> actions.planSwitchWal(instance.name(), instance.port());
                case RESTORE_POINT -> actions.planRestorePoint(instance.name(), instance.port(), restorePointName);
            };
            return new Confirmation(action, host.name(), instance, restorePointName, actions, planned);
        }, confirm, error -> problem.accept(error.getMessage()));
    }

    /**
     * Verifies base backup {@code label} of the selected instance (pg_verifybackup; read-only, so no confirmation):
     * off the JavaFX thread with the status bar's progress and Cancel, its exact command and output in the command
     * log; the result goes to the detail pane's {@link BackupVerifications}. {@code failed} gets a failure to run in
     * words (not a backup that verified with problems: that is a result; nor a cancel).
     */
    public void verifyBackup(String label, Consumer<String> failed) {
        HostStatus host = main.selectedHostProperty().get();
        InstanceStatus instance = main.selectedInstanceProperty().get();
        if (host == null || instance == null || label == null) {
            failed.accept("Select a base backup first.");
            return;
        }
        BackupVerifications verifications = detail.verifications();
        String target = host.name() + "/" + instance.name();
        verifications.started(host.name(), instance.name(), label);
        boolean started = main.runBusy("verify-backup", "Verifying base backup " + label + " of " + target + "…", () -> {
            HostActions actions = hosts.actions(host.name()).orElseThrow(() -> new IllegalStateException(
                    host.name() + " has no actions yet: it has not answered a refresh"));
            Planned planned = actions.planVerifyBackup(instance.name(), instance.port(), label);
            log.record(new CommandLogEntry(Instant.now(), CommandLogEntry.Kind.COMMAND, target,
                    planned.command().shellLine(), Duration.ZERO, "started", false));
            CommandResult result = actions.run(planned, line -> log.record(new CommandLogEntry(Instant.now(),
                    CommandLogEntry.Kind.OUTPUT, target, line, Duration.ZERO, "", false)));
            return HostActions.verification(label, result);
        }, result -> {
            verifications.ended(host.name(), instance.name(), label, result);
            main.say("Base backup " + label + (result.ok() ? " verified: ok"
                    : " did not verify: " + String.join("; ", result.problems())));
        }, error -> {
            verifications.ended(host.name(), instance.name(), label, null);
            String message = error.getMessage() == null ? error.toString() : error.getMessage();
            if (message.endsWith("was cancelled")) {
                main.say("Verification of base backup " + label + " cancelled");
            } else {
                main.say(message);
                failed.accept(message);
            }
        });
        if (!started) {
            verifications.ended(host.name(), instance.name(), label, null);
        }
    }

    /** Runs a confirmed action; {@code done} gets the line for the status bar, {@code failed} the error in words. */
    public void run(Confirmation c, Consumer<String> failed) {
        String target = c.hostName() + "/" + c.instance().name();
        main.runBusy("action", c.planned().what() + "…", () -> {
            log.record(new CommandLogEntry(Instant.now(), CommandLogEntry.Kind.COMMAND, target,
                    c.planned().command().shellLine(), Duration.ZERO, "started", false));
            CommandResult result = c.actions().run(c.planned(), line -> {
                log.record(new CommandLogEntry(Instant.now(), CommandLogEntry.Kind.OUTPUT, target, line,
                        Duration.ZERO, "", false));
                fxThread.accept(() -> main.say(c.planned().what() + ": " + line));
            });
            if (c.action() == Action.RESTORE_POINT) {
                HostActions.RestorePoint point = c.actions().logRestorePoint(c.instance().name(), c.instance().port(),
                        c.restorePointName(), result);
                return "Restore point " + point.name() + " created at " + point.lsn();
            }
            if (!result.succeeded()) {
                throw new HostCommandException(c.planned().what() + " failed: " + result.describeFailure());
            }
            String out = result.stdout().strip();
            return c.planned().what() + ": done" + (out.isEmpty() || out.contains("\n") ? "" : " (" + out + ")")
                    + " in " + dev.pgdeck.app.common.Formats.duration(result.elapsed());
        }, said -> {
            main.say(said);
            if (c.action() == Action.RESTORE_POINT) {
                detail.loadRestorePoints();
            }
            main.requestRefresh();
        }, error -> {
            String message = error.getMessage() == null ? error.toString() : error.getMessage();
            main.say(message);
            failed.accept(message);
        });
    }
}
