package dev.pgdeck.app.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static dev.pgdeck.app.restore.WizardWindows.text;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.app.TestWindows;
import dev.pgdeck.app.main.SandboxConsoleHosts;
import dev.pgdeck.app.restore.RestoreWizardModel.Step;
import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.drill.DrillRecord;
import dev.pgdeck.remote.sandbox.Progress;
import dev.pgdeck.remote.sandbox.SandboxHost;
import dev.pgdeck.remote.sandbox.SandboxInstance;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Restore tab driven like an operator would, against the app tests' sandbox (real PostgreSQL, real WAL archive,
 * real base backups): a drill to a restore point pgdeck created, run end to end, and a target past the archive
 * refused before anything runs. With {@code -Dpgdeck.shots=DIR} the pages are also saved as PNGs there.
 */
@ExtendWith(ApplicationExtension.class)
class RestoreWizardWindowTest {
    private static final CommandLog LOG = new CommandLog();
    private static SandboxHost sandbox;
    private static SandboxInstance instance;
    private static HostActions actions;
    /** This run's restore point: fresh each time, since the test sandbox outlives a run. */
    private static String tag;

    private RestoreWizardModel model;
    private Stage stage;

    @BeforeAll
    static void startSandboxAndCreateARestorePoint() throws Exception {
        sandbox = SandboxHost.fromEnvironment(LOG);
        instance = sandbox.start(Progress.NONE);
        actions = new HostActions(sandbox.sandbox().shell(), HostProfile.builtIn(SandboxHost.PROFILE),
                sandbox.profileValues(instance), Clock.systemUTC());
        tag = "wizard-" + Long.toString(System.nanoTime(), 36);
        sql("CREATE TABLE IF NOT EXISTS pgdeck_wizard_drill (note text)");
        sql("INSERT INTO pgdeck_wizard_drill VALUES ('" + tag + "-before')");
        actions.createRestorePoint(instance.name(), instance.port(), tag);
        sql("INSERT INTO pgdeck_wizard_drill VALUES ('" + tag + "-after')");
        String segment = actions.switchWal(instance.name(), instance.port());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> lastArchived().compareTo(segment) >= 0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        model = TestWindows.openWithRestore(stage, LOG, new SandboxConsoleHosts(sandbox),
                new SandboxRestoreHosts(sandbox));
    }

    @Test
    void aDrillToARestorePointRunsEndToEndAndShowsItsReport(FxRobot robot) throws Exception {
        openRestoreTab(robot);
        WizardWindows.shot(stage, "1-instance");
        robot.clickOn("#nextButton");
        assertEquals(Step.TARGET, model.stepProperty().get());

        robot.clickOn("#nameRadio");
        ComboBox<String> names = robot.lookup("#targetNameCombo").queryComboBox();
        assertTrue(names.getItems().contains(tag), "pgdeck's restore-point log lists " + tag + ": " + names.getItems());
        robot.interact(() -> names.getSelectionModel().select(tag));
        WaitForAsyncUtils.waitForFxEvents();
        String verdict = text(robot, "#targetMessage");
        assertFalse(verdict.startsWith("Refused"), verdict);
        assertTrue(text(robot, "#targetWords").contains("stop at restore point \"" + tag + "\""),
                text(robot, "#targetWords"));
        WizardWindows.shot(stage, "2-target");
        robot.clickOn("#nextButton");

        assertEquals(Step.BACKUP, model.stepProperty().get());
        TableView<?> backups = robot.lookup("#backupTable").queryTableView();
        assertFalse(backups.getItems().isEmpty());
        assertEquals(model.backupProperty().get(), backups.getSelectionModel().getSelectedItem(),
                "the chosen backup is selected");
        WizardWindows.shot(stage, "3-backup");
        robot.clickOn("#nextButton");

        assertEquals(Step.MODE, model.stepProperty().get());
        assertTrue(robot.lookup("#drillRadio").queryAs(javafx.scene.control.RadioButton.class).isSelected());
        String verify = "SELECT note FROM pgdeck_wizard_drill WHERE note LIKE '" + tag + "%' ORDER BY note";
        robot.clickOn("#verifySqlArea");
        robot.write(verify);
        assertEquals("analytics", model.verifyDatabaseProperty().get(), "the largest database is the default");
        robot.interact(() -> robot.lookup("#verifyDatabaseCombo").<String>queryComboBox().setValue("postgres"));
        WaitForAsyncUtils.waitForFxEvents();
        WizardWindows.shot(stage, "4-mode");
        robot.clickOn("#nextButton");

        assertEquals(Step.PREFLIGHT, model.stepProperty().get());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !model.checkingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        ListView<PreflightCheck> checks = robot.lookup("#checksList").queryListView();
        assertTrue(checks.getItems().stream().anyMatch(c -> c.name().equals("WAL continuity")
                && c.status() == PreflightCheck.Status.PASS), String.valueOf(checks.getItems()));
        assertTrue(checks.getItems().stream().noneMatch(PreflightCheck::failed), String.valueOf(checks.getItems()));
        WizardWindows.shot(stage, "5-preflight");
        robot.clickOn("#nextButton");

        assertEquals(Step.PLAN, model.stepProperty().get());
        String plan = robot.lookup("#planArea").queryAs(TextArea.class).getText();
        String targetLine = plan.lines().filter(l -> l.contains("recovery_target_name")).findFirst().orElse("");
        assertTrue(targetLine.contains("recovery_target_name = ") && targetLine.contains(tag), plan);
        assertTrue(plan.contains("recovery_target_timeline"), plan);
        assertTrue(plan.startsWith("#!/bin/sh\n"), plan);
        WizardWindows.shot(stage, "6-plan");
        robot.clickOn("#nextButton");

        assertEquals(Step.CONFIRM, model.stepProperty().get());
        assertEquals("Run the drill", robot.lookup("#nextButton").queryButton().getText());
        WizardWindows.shot(stage, "7-confirm");
        robot.clickOn("#nextButton");
        assertEquals(Step.RUN, model.stepProperty().get());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> model.run().steps().size() > 2
                && model.run().steps().get(1).stateProperty().get().equals("✔ done")
                || model.run().finishedProperty().get());
        WizardWindows.shot(stage, "8-run");

        WaitForAsyncUtils.waitFor(240, TimeUnit.SECONDS, () -> model.stepProperty().get() == Step.VERIFY);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(text(robot, "#resultTitle").startsWith("The drill succeeded"), text(robot, "#resultAccount"));
        assertTrue(text(robot, "#resultReached").startsWith("yes — recovery stopping at restore point \"" + tag),
                text(robot, "#resultReached"));
        int newTimeline = model.timelineProperty().get() + 1;
        assertTrue(text(robot, "#resultTimeline").startsWith(newTimeline + " (new"), text(robot, "#resultTimeline"));
        assertTrue(text(robot, "#resultRecovery").startsWith("false"), text(robot, "#resultRecovery"));
        TableView<List<String>> rows = robot.lookup("#verifyTable").queryTableView();
        assertEquals(List.of(List.of(tag + "-before")), rows.getItems(), "the verification query's rows");
        TableView<StepRow> steps = robot.lookup("#resultStepsTable").queryTableView();
        assertTrue(steps.getItems().stream().allMatch(s -> s.stateProperty().get().equals("✔ done")
                && s.secondsProperty().get().endsWith(" s")), "every step done with its seconds");
        assertTrue(text(robot, "#resultRto").endsWith("server accepting writes"), text(robot, "#resultRto"));
        WizardWindows.shot(stage, "9-verify");

        List<DrillRecord> drills = model.connectionProperty().get().workflow().drills().all();
        DrillRecord last = drills.get(drills.size() - 1);
        assertEquals("name " + tag, last.target());
        assertTrue(last.successful());

        robot.clickOn("#nextButton");
        assertEquals(Step.AFTER, model.stepProperty().get());
        assertTrue(text(robot, "#afterAdvice").startsWith("A drill leaves " + instance.name() + " as it was"),
                text(robot, "#afterAdvice"));
        assertFalse(robot.lookup("#swapBackButton").query().isVisible(), "nothing to swap back after a drill");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !model.run().drillLogTextProperty().get().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(text(robot, "#drillLogText").contains("to name " + tag), text(robot, "#drillLogText"));
        WizardWindows.shot(stage, "10-after");
    }

    @Test
    void theTimeStartsAtTheLastArchivedCommitAndASecondLaterIsRefusedWithLatestOffered(FxRobot robot)
            throws Exception {
        // a commit, then 3 s without one before the segment is switched and archived: the archive ends later
        sql("INSERT INTO pgdeck_wizard_drill VALUES ('" + tag + "-last')");
        Thread.sleep(3000);
        String segment = actions.switchWal(instance.name(), instance.port());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> lastArchived().compareTo(segment) >= 0);
        openRestoreTab(robot);
        robot.clickOn("#nextButton");
        robot.clickOn("#timeRadio");
        WaitForAsyncUtils.waitForFxEvents();
        var state = model.recoveryProperty().get();
        java.time.Instant edge = state.facts().windows().timeline(state.currentTimeline()).orElseThrow()
                .latestTimeTarget();
        assertNotNull(edge, "the sandbox's archived WAL was read for its last commit");
        assertTrue(text(robot, "#windowText").contains("(end of the archive); latest time target "),
                text(robot, "#windowText"));
        // pre-filled with the last commit's second, which a time target reaches
        OffsetDateTime at = edge.minusNanos(1000).atOffset(ZoneOffset.UTC);
        assertEquals(at.toLocalDate(), model.targetDateProperty().get());
        assertEquals(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").format(at),
                model.targetClockProperty().get());
        assertFalse(text(robot, "#targetMessage").startsWith("Refused"), text(robot, "#targetMessage"));

        OffsetDateTime later = edge.plusSeconds(1).atOffset(ZoneOffset.UTC);
        DatePicker date = robot.lookup("#targetDatePicker").queryAs(DatePicker.class);
        robot.interact(() -> date.setValue(later.toLocalDate()));
        robot.clickOn("#targetTimeField");
        robot.push(KeyCode.CONTROL, KeyCode.A);
        robot.write(later.toLocalTime().withNano(0).toString());
        WaitForAsyncUtils.waitForFxEvents();
        String message = text(robot, "#targetMessage");
        assertTrue(message.startsWith("Refused: target "), message);
        assertTrue(message.contains("is not before the last commit in the archived WAL"), message);
        assertTrue(message.contains("or \"latest\" to recover everything archived"), message);
        assertTrue(robot.lookup("#nextButton").queryButton().isDisabled(), "Next with a refused target");
    }

    @Test
    void aTargetPastTheArchiveIsRefusedWithTheReason(FxRobot robot) throws Exception {
        openRestoreTab(robot);
        assertTrue(robot.lookup("#zfsSourceRadio").query().isDisabled(), "the sandbox cannot clone a ZFS snapshot");
        assertEquals("Not offered for this host: host profile sandbox lists ZFS snapshots but cannot clone one (it"
                + " lacks zfsSnapshotCreate, zfsRename, zfsSetMountpoint, zfsClone).", text(robot, "#zfsSourceWhy"));
        robot.clickOn("#nextButton");
        robot.clickOn("#timeRadio");
        OffsetDateTime future = OffsetDateTime.now(ZoneOffset.UTC).plusHours(2);
        DatePicker date = robot.lookup("#targetDatePicker").queryAs(DatePicker.class);
        robot.interact(() -> date.setValue(future.toLocalDate()));
        robot.clickOn("#targetTimeField");
        robot.push(KeyCode.CONTROL, KeyCode.A);
        robot.write(future.toLocalTime().withNano(0).toString());
        WaitForAsyncUtils.waitForFxEvents();
        String message = text(robot, "#targetMessage");
        assertTrue(message.startsWith("Refused: target "), message);
        assertTrue(message.contains("is past the last archived WAL: the latest recoverable time is"), message);
        assertTrue(robot.lookup("#targetMessage").query().getStyleClass().contains("error-text"));
        assertTrue(robot.lookup("#nextButton").queryButton().isDisabled(), "Next with a refused target");
        WizardWindows.shot(stage, "2-target-refused");

        robot.clickOn("#targetTimeField");
        robot.push(KeyCode.CONTROL, KeyCode.A);
        robot.write("25:99");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("target time \"25:99\" is not a time of day like 14:30:00", text(robot, "#targetMessage"));
        assertTrue(robot.lookup("#nextButton").queryButton().isDisabled());
    }

    @Test
    void aCancelledDrillSaysWhatWasDoneAndWhatWasNot(FxRobot robot) throws Exception {
        openRestoreTab(robot);
        robot.clickOn("#nextButton");
        robot.clickOn("#latestRadio");
        robot.clickOn("#nextButton");
        robot.clickOn("#nextButton");
        robot.clickOn("#nextButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !model.checkingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#nextButton");
        robot.clickOn("#nextButton");
        assertEquals("Run the drill", robot.lookup("#nextButton").queryButton().getText());
        robot.clickOn("#nextButton");
        assertEquals(Step.RUN, model.stepProperty().get());
        robot.clickOn("#cancelRunButton");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> model.stepProperty().get() == Step.VERIFY);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("The drill was cancelled", text(robot, "#resultTitle"), text(robot, "#resultAccount"));
        String account = text(robot, "#resultAccount");
        assertTrue(account.startsWith("Cancelled by the operator. Done: "), account);
        assertFalse(account.contains("is still there"), "the scratch copy was removed: " + account);
        assertTrue(text(robot, "#resultReached").startsWith("no"), text(robot, "#resultReached"));
        String recovery = text(robot, "#resultRecovery");
        assertTrue(recovery.startsWith("not asked") || recovery.startsWith("still true"), recovery);
        TableView<StepRow> steps = robot.lookup("#resultStepsTable").queryTableView();
        // where the cancel lands depends on timing: at a safe point (later steps not run) or in the wait for
        // promotion (that step cancelled); either way the account says so and the scratch copy goes
        boolean skipped = steps.getItems().stream().anyMatch(r -> r.stateProperty().get().equals("not run"));
        boolean stoppedWaiting = steps.getItems().stream().anyMatch(r -> r.stateProperty().get().equals("■ cancelled"));
        assertTrue(skipped ? account.contains(" Not run: ") : stoppedWaiting, account);
        assertEquals("✔ done", steps.getItems().get(steps.getItems().size() - 1).stateProperty().get(),
                "the scratch copy's removal ran");
        WizardWindows.shot(stage, "9-verify-cancelled");
    }

    @Test
    void anInPlaceRestoreFromResticNeedsTheInstanceNameTypedBeforeItRuns(FxRobot robot) throws Exception {
        openRestoreTab(robot);
        robot.clickOn("#resticSourceRadio");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> model.recoveryProperty().get() != null
                || model.instanceFailedProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(text(robot, "#instanceMessage").startsWith("From restic (base backup snapshot "),
                text(robot, "#instanceMessage"));
        robot.clickOn("#nextButton");
        robot.clickOn("#latestRadio");
        robot.clickOn("#nextButton");
        assertTrue(text(robot, "#backupSource").startsWith("Source: restic."), text(robot, "#backupSource"));
        robot.clickOn("#nextButton");
        robot.clickOn("#inPlaceRadio");
        robot.clickOn("#nextButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !model.checkingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        // the backups come from restic, but whether the instance runs is asked of the host: it does here
        assertTrue(model.checks().stream().anyMatch(c -> c.name().equals("Instance state")
                && c.detail().equals("running: it will be stopped, and its data directory moved to "
                + model.planProperty().get().asideDir())),
                String.valueOf(model.checks()));
        robot.clickOn("#nextButton");
        String plan = robot.lookup("#planArea").queryAs(TextArea.class).getText();
        assertTrue(plan.contains("restic "), plan);
        assertTrue(plan.contains(".pre-restore-"), plan);
        assertTrue(plan.lines().filter(l -> l.contains("rm -rf")).allMatch(l -> l.contains(".restic-")),
                "an in-place restore removes only its restic staging copy: " + plan);
        robot.clickOn("#nextButton");

        assertEquals(Step.CONFIRM, model.stepProperty().get());
        assertEquals("Run the restore", robot.lookup("#nextButton").queryButton().getText());
        assertTrue(robot.lookup("#nextButton").queryButton().isDisabled(), "Run before the name was typed");
        assertTrue(text(robot, "#confirmWords").contains(model.planProperty().get().asideDir() + " (it is not"
                + " deleted)"), text(robot, "#confirmWords"));
        robot.clickOn("#confirmField");
        robot.write(instance.name() + "x");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#nextButton").queryButton().isDisabled(), "Run with a wrong name");
        robot.push(KeyCode.BACK_SPACE);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(robot.lookup("#nextButton").queryButton().isDisabled(), "Run with the name typed");
        WizardWindows.shot(stage, "7-confirm-in-place");
        // not run: the other tests share this sandbox
        robot.clickOn("#backButton");
        assertEquals(Step.PLAN, model.stepProperty().get());
    }

    private void openRestoreTab(FxRobot robot) throws Exception {
        WizardWindows.selectRestoreTab(robot);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> model.recoveryProperty().get() != null
                || model.instanceFailedProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(model.instanceFailedProperty().get(), text(robot, "#instanceMessage"));
        assertTrue(text(robot, "#instanceMessage").startsWith(instance.name() + " (port " + instance.port()),
                text(robot, "#instanceMessage"));
    }

    private static void sql(String sql) throws Exception {
        try (Connection c = sandbox.database("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String lastArchived() throws Exception {
        try (Connection c = sandbox.database("postgres").getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")) {
            rs.next();
            String name = rs.getString(1);
            return name.length() >= 24 ? name.substring(0, 24) : name;
        }
    }
}
