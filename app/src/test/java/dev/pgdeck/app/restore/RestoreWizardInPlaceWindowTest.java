package dev.pgdeck.app.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static dev.pgdeck.app.restore.WizardWindows.text;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.app.TestWindows;
import dev.pgdeck.app.main.SandboxConsoleHosts;
import dev.pgdeck.app.restore.RestoreWizardModel.Step;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.sandbox.Progress;
import dev.pgdeck.remote.sandbox.Sandbox;
import dev.pgdeck.remote.sandbox.SandboxHost;
import dev.pgdeck.remote.sandbox.SandboxInstance;
import dev.pgdeck.remote.sandbox.SandboxSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TextArea;
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
 * An in-place restore through the wizard, then Swap back, against a sandbox of this test's own (real PostgreSQL, real
 * WAL archive, real base backups): the other window tests share the app tests' sandbox, and this one replaces its
 * instance's data. Rows are checked exactly by SQL after each step; nothing is deleted on the way.
 * With {@code -Dpgdeck.shots=DIR} the pages are also saved as PNGs there.
 */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class RestoreWizardInPlaceWindowTest {
    private static final CommandLog LOG = new CommandLog();
    private static Path root;
    private static SandboxHost sandbox;
    private static SandboxInstance instance;
    private static String tag;

    private RestoreWizardModel model;
    private Stage stage;

    @BeforeAll
    static void startOwnSandboxAndWriteRowsAroundARestorePoint() throws Exception {
        Map<String, String> env = System.getenv();
        SandboxSettings shared = SandboxSettings.fromEnvironment(env);
        root = shared.root().resolveSibling(shared.root().getFileName() + "-in-place");
        // a port of its own beside the shared sandbox's, so a run of every window test never meets it there
        int port = shared.port().orElse(54320) + 1000;
        stopAndRemove();
        sandbox = new SandboxHost(new SandboxSettings(root, shared.events(), OptionalInt.of(port)), env, LOG);
        instance = sandbox.start(Progress.NONE);
        HostActions actions = new HostActions(sandbox.sandbox().shell(), HostProfile.builtIn(SandboxHost.PROFILE),
                sandbox.profileValues(instance), Clock.systemUTC());
        tag = "inplace-" + Long.toString(System.nanoTime(), 36);
        sql("CREATE TABLE pgdeck_wizard_in_place (note text)");
        sql("INSERT INTO pgdeck_wizard_in_place VALUES ('" + tag + "-1-before'), ('" + tag + "-2-before')");
        actions.createRestorePoint(instance.name(), instance.port(), tag);
        sql("INSERT INTO pgdeck_wizard_in_place VALUES ('" + tag + "-3-after')");
        sql("UPDATE pgdeck_wizard_in_place SET note = note || '-changed' WHERE note = '" + tag + "-1-before'");
        String segment = actions.switchWal(instance.name(), instance.port());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> lastArchived().compareTo(segment) >= 0);
    }

    @AfterAll
    static void stopAndRemoveOwnSandbox() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
        stopAndRemove();
    }

    /** This test's sandbox is built afresh each run: a restore leaves whole data directories beside it. */
    private static void stopAndRemove() throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        new Sandbox(new SandboxSettings(root, 100, OptionalInt.empty()), System.getenv(), LOG)
                .stopEvenIfStartedElsewhere();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        model = TestWindows.openWithRestore(stage, LOG, new SandboxConsoleHosts(sandbox),
                new SandboxRestoreHosts(sandbox));
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void anInPlaceRestoreToARestorePointThenSwapBackKeepsBothCopies(FxRobot robot) throws Exception {
        List<String> now = List.of(tag + "-1-before-changed", tag + "-2-before", tag + "-3-after");
        assertEquals(now, rows(), "the rows before the restore");
        openRestoreTab(robot);
        robot.clickOn("#nextButton");

        robot.clickOn("#nameRadio");
        ComboBox<String> names = robot.lookup("#targetNameCombo").queryComboBox();
        robot.interact(() -> names.getSelectionModel().select(tag));
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(text(robot, "#targetMessage").startsWith("Refused"), text(robot, "#targetMessage"));
        robot.clickOn("#nextButton");
        assertEquals(Step.BACKUP, model.stepProperty().get());
        robot.clickOn("#nextButton");

        assertEquals(Step.MODE, model.stepProperty().get());
        robot.clickOn("#inPlaceRadio");
        robot.clickOn("#verifySqlArea");
        robot.write("SELECT note FROM pgdeck_wizard_in_place ORDER BY note");
        robot.interact(() -> robot.lookup("#verifyDatabaseCombo").<String>queryComboBox().setValue("postgres"));
        robot.clickOn("#nextButton");
        assertEquals(Step.PREFLIGHT, model.stepProperty().get());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !model.checkingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(model.checks().stream().noneMatch(c -> c.failed()), String.valueOf(model.checks()));
        robot.clickOn("#nextButton");

        assertEquals(Step.PLAN, model.stepProperty().get());
        RestorePlan plan = model.planProperty().get();
        String dataDir = instance.layout().dataDir().toString();
        assertEquals(dataDir, plan.dataDir());
        assertTrue(plan.asideDir().startsWith(dataDir + ".pre-restore-"), plan.asideDir());
        String script = robot.lookup("#planArea").queryAs(TextArea.class).getText();
        assertTrue(script.lines().noneMatch(l -> l.contains("rm -rf")), "an in-place restore deletes nothing: "
                + script);
        robot.clickOn("#nextButton");

        assertEquals(Step.CONFIRM, model.stepProperty().get());
        assertTrue(robot.lookup("#nextButton").queryButton().isDisabled(), "Run before the name was typed");
        robot.clickOn("#confirmField");
        robot.write(instance.name());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Run the restore", robot.lookup("#nextButton").queryButton().getText());
        WizardWindows.shot(stage, "7-confirm-in-place");
        robot.clickOn("#nextButton");

        assertEquals(Step.RUN, model.stepProperty().get());
        WaitForAsyncUtils.waitFor(240, TimeUnit.SECONDS, () -> model.stepProperty().get() == Step.VERIFY);
        WaitForAsyncUtils.waitForFxEvents();
        WizardWindows.shot(stage, "9-verify-in-place");
        assertTrue(text(robot, "#resultTitle").startsWith("The restore succeeded"), text(robot, "#resultTitle")
                + ": " + text(robot, "#resultAccount"));
        assertTrue(text(robot, "#resultReached").startsWith("yes — recovery stopping at restore point \"" + tag),
                text(robot, "#resultReached"));
        List<String> atTarget = List.of(tag + "-1-before", tag + "-2-before");
        assertEquals(atTarget.stream().map(List::of).toList(), List.copyOf(model.run().verifyRows()),
                "the verification query on the restored server");
        assertEquals(atTarget, rows(), "the rows written after the restore point are gone, the update undone");
        assertTrue(Files.isRegularFile(Path.of(plan.asideDir(), "PG_VERSION")), "the replaced data is kept at "
                + plan.asideDir());

        robot.clickOn("#nextButton");
        assertEquals(Step.AFTER, model.stepProperty().get());
        assertTrue(robot.lookup("#swapBackButton").query().isVisible(), "Swap back is offered");
        assertTrue(text(robot, "#afterAdvice").contains("kept at " + plan.asideDir()), text(robot, "#afterAdvice"));
        WizardWindows.shot(stage, "10-after-in-place");
        robot.clickOn("#swapBackButton");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("OK");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !model.run().busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        WizardWindows.shot(stage, "10-after-swapped-back");
        assertTrue(model.run().swappedBackProperty().get(), text(robot, "#afterMessage"));
        assertEquals("The data that was replaced is back in " + dataDir + ".", text(robot, "#afterAdvice"));
        assertFalse(robot.lookup("#swapBackButton").query().isVisible(), "nothing left to swap back");

        assertEquals(now, rows(), "after swap back the rows written after the restore point are back");
        assertFalse(Files.exists(Path.of(plan.asideDir())), "moved back, not copied");
        List<Path> restored = siblings(dataDir + ".restored-");
        assertEquals(1, restored.size(), "the restored copy is kept aside: " + restored);
        assertTrue(restored.get(0).getFileName().toString().matches("main\\.restored-[0-9]{8}-[0-9]{6}"),
                restored.toString());
        assertTrue(Files.isRegularFile(restored.get(0).resolve("PG_VERSION")), "a whole data directory");
        assertTrue(Files.isRegularFile(Path.of(dataDir, "PG_VERSION")));
        assertEquals("Swapped back: " + dataDir + " holds the data from before the restore again; the restored copy"
                + " is kept at " + restored.get(0) + " (not deleted).", text(robot, "#afterMessage"));
    }

    /** After the swap back of the first test, the instance holds all three rows again. */
    @Test
    @org.junit.jupiter.api.Order(2)
    void pausedAtTheRestorePointTheInstanceIsReadOnlyUntilPromote(FxRobot robot) throws Exception {
        assertEquals(List.of(tag + "-1-before-changed", tag + "-2-before", tag + "-3-after"), rows());
        openRestoreTab(robot);
        robot.clickOn("#nextButton");
        robot.clickOn("#nameRadio");
        ComboBox<String> names = robot.lookup("#targetNameCombo").queryComboBox();
        robot.interact(() -> names.getSelectionModel().select(tag));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#nextButton");
        robot.clickOn("#nextButton");

        assertEquals(Step.MODE, model.stepProperty().get());
        javafx.scene.control.CheckBox pause = robot.lookup("#pauseAtTargetCheck").queryAs(javafx.scene.control.CheckBox.class);
        assertTrue(pause.isDisabled(), "not for a drill");
        robot.clickOn("#inPlaceRadio");
        assertFalse(pause.isDisabled(), "in place, to a restore point");
        robot.clickOn("#pauseAtTargetCheck");
        robot.clickOn("#verifySqlArea");
        robot.write("SELECT note FROM pgdeck_wizard_in_place ORDER BY note");
        robot.interact(() -> robot.lookup("#verifyDatabaseCombo").<String>queryComboBox().setValue("postgres"));
        WizardWindows.shot(stage, "4-mode-pause");
        robot.clickOn("#nextButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !model.checkingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#nextButton");
        assertEquals(Step.PLAN, model.stepProperty().get());
        String script = robot.lookup("#planArea").queryAs(TextArea.class).getText();
        assertTrue(script.contains("Wait until paused at the target"), script);
        robot.clickOn("#nextButton");
        robot.clickOn("#confirmField");
        robot.write(instance.name());
        robot.clickOn("#nextButton");

        WaitForAsyncUtils.waitFor(240, TimeUnit.SECONDS, () -> model.stepProperty().get() == Step.VERIFY);
        WaitForAsyncUtils.waitForFxEvents();
        WizardWindows.shot(stage, "9-verify-paused");
        assertTrue(text(robot, "#resultTitle").contains("is paused there, read-only"), text(robot, "#resultTitle")
                + ": " + text(robot, "#resultAccount"));
        List<String> atTarget = List.of(tag + "-1-before", tag + "-2-before");
        assertEquals(atTarget.stream().map(List::of).toList(), List.copyOf(model.run().verifyRows()),
                "the verification query ran on the paused server");
        assertEquals(atTarget, rows());
        assertEquals("t", sqlValue("SELECT pg_is_in_recovery()"), "paused: still in recovery, read-only");

        robot.clickOn("#nextButton");
        assertEquals(Step.AFTER, model.stepProperty().get());
        assertTrue(robot.lookup("#promoteButton").query().isVisible(), "Promote is offered");
        WizardWindows.shot(stage, "10-after-paused");
        robot.clickOn("#promoteButton");
        WaitForAsyncUtils.waitForFxEvents();
        if (robot.lookup("OK").tryQuery().isPresent()) {
            robot.clickOn("OK");
        }
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !model.run().busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        WizardWindows.shot(stage, "10-after-promoted");
        assertEquals("promote: done (promoted; the recovery settings were cleared).", text(robot, "#afterMessage"));
        assertEquals("f", sqlValue("SELECT pg_is_in_recovery()"));
        assertFalse(robot.lookup("#promoteButton").query().isVisible(), "nothing left to promote");
        assertEquals("", text(robot, "#afterProblem"));
        assertTrue(text(robot, "#afterAdvice").contains("take a new base backup now"), text(robot, "#afterAdvice"));
        assertTrue(robot.lookup("#baseBackupButton").query().isVisible(), "a new base backup is offered");
        sql("INSERT INTO pgdeck_wizard_in_place VALUES ('" + tag + "-4-after-promote')");
        assertEquals(List.of(tag + "-1-before", tag + "-2-before", tag + "-4-after-promote"), rows(), "writable");
        assertFalse(Files.readString(Path.of(instance.layout().dataDir().toString(), "postgresql.auto.conf"))
                .contains("recovery_target"), "the recovery settings were cleared");
    }

    private static String sqlValue(String query) throws Exception {
        try (Connection c = sandbox.database("postgres").getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<Path> siblings(String prefix) throws IOException {
        Path dir = Path.of(prefix).getParent();
        String name = Path.of(prefix).getFileName().toString();
        List<Path> found = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> p.getFileName().toString().startsWith(name)).forEach(found::add);
        }
        return found;
    }

    private void openRestoreTab(FxRobot robot) throws Exception {
        WizardWindows.selectRestoreTab(robot);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> model.recoveryProperty().get() != null
                || model.instanceFailedProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(model.instanceFailedProperty().get(), text(robot, "#instanceMessage"));
    }

    /** The table's rows, read afresh (the server may have restarted under the pool). */
    private static List<String> rows() throws Exception {
        List<String> notes = new ArrayList<>();
        try (Connection c = sandbox.database("postgres").getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT note FROM pgdeck_wizard_in_place ORDER BY note")) {
            while (rs.next()) {
                notes.add(rs.getString(1));
            }
        }
        return notes;
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
