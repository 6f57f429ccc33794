package dev.pgdeck.app.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.app.TestWindows;
import dev.pgdeck.app.common.Formats;
import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.app.main.SandboxConsoleHosts;
import dev.pgdeck.model.CommandLogEntry;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.overview.BaseBackupSummary;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.probe.HostActions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The instance detail pane against the real sandbox: what it shows is what the probe returned, and an action's
 * confirmation shows its exact command, whose output then lands in the command log.
 */
@ExtendWith(ApplicationExtension.class)
class InstanceDetailWindowTest {
    private static final CommandLog LOG = new CommandLog();
    private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");
    @RegisterExtension
    static final TestWindows.ClassSandbox SANDBOX = new TestWindows.ClassSandbox(LOG);
    private TestWindows.RecordingHosts hosts;
    private MainViewModel viewModel;

    @Start
    void start(Stage stage) {
        hosts = new TestWindows.RecordingHosts(SANDBOX.get());
        viewModel = TestWindows.open(stage, LOG, hosts);
        viewModel.startUp();
    }

    @Test
    void selectingTheInstanceShowsTheProbesBackupAndArchiveFigures(FxRobot robot) throws Exception {
        waitForHosts();
        robot.clickOn("main");
        WaitForAsyncUtils.waitForFxEvents();
        InstanceStatus main = hosts.probed().instances().get(0);
        // the shown overview is the last one probed (a refresh may not run in between: the window is idle)
        assertEquals(main, viewModel.selectedInstanceProperty().get());

        robot.clickOn("WAL archive");
        assertEquals(Formats.count(main.archiver().archivedCount()), text(robot, "#factArchivedCount"));
        assertEquals(Formats.count(main.archiver().failedCount()), text(robot, "#factFailedCount"));
        assertEquals(Formats.count(main.walArchive().segments()), text(robot, "#factSegments"));
        assertEquals(main.walArchive().oldest(), text(robot, "#factOldest"));
        assertEquals(main.walArchive().newest(), text(robot, "#factNewest"));
        assertEquals(Formats.bytes(main.walArchive().bytes()), text(robot, "#factArchiveBytes"));
        assertEquals(Integer.toString(main.archiver().readyFiles()), text(robot, "#factReadyFiles"));
        assertTrue(text(robot, "#factLastArchived").startsWith(main.archiver().lastArchivedWal() + " at "));

        robot.clickOn("Base backups");
        TableView<BaseBackupSummary> backups = robot.lookup("#backupTable").queryTableView();
        assertEquals(main.baseBackups(), backups.getItems());
        assertEquals(2, backups.getItems().size(), "the sandbox has two base backups");
        BaseBackupSummary first = backups.getItems().get(0);
        assertEquals(first.label(), backups.getColumns().get(0).getCellData(0));
        assertEquals(first.startLsn(), backups.getColumns().get(3).getCellData(0));
        assertEquals(Formats.bytes(first.sizeBytes()), backups.getColumns().get(6).getCellData(0));

        robot.clickOn("Overview");
        assertEquals("PostgreSQL " + main.version(), text(robot, "#factVersion"));
        assertEquals(Formats.bytes(main.server().databaseSizes().get("analytics")), text(robot, "#factDb-analytics"));
        assertEquals(main.server().connections() + " of " + main.server().maxConnections(),
                text(robot, "#factConnections"));
    }

    @Test
    void switchWalShowsItsCommandFirstAndItsOutputLandsInTheCommandLog(FxRobot robot) throws Exception {
        waitForHosts();
        String expected = sandboxActions().planSwitchWal("main", hosts.probed().instances().get(0).port())
                .command().shellLine();
        robot.clickOn("#switchWalButton");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#actionCommand").tryQuery().isPresent());
        TextArea command = robot.lookup("#actionCommand").query();
        assertEquals(expected, command.getText());
        assertTrue(command.getText().contains("pg_switch_wal()"), command.getText());
        int before = LOG.entries().size();

        clickRun(robot);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> outputAfter(before).isPresent());
        CommandLogEntry output = outputAfter(before).get();
        assertTrue(SEGMENT.matcher(output.text()).matches(), "a WAL segment name: " + output.text());
        assertEquals("sandbox/main", output.host());
        List<CommandLogEntry> after = LOG.entries().subList(before, LOG.entries().size());
        assertTrue(after.stream().anyMatch(e -> e.kind() == CommandLogEntry.Kind.COMMAND
                && e.text().equals(expected) && e.outcome().equals("exit 0")), "the command's own entry");
        TableView<CommandLogEntry> log = robot.lookup("#logTable").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> log.getItems().contains(output));
    }

    @Test
    void aRestorePointNameIsAskedAndTheNewPointIsDrawnOnTheTimeline(FxRobot robot) throws Exception {
        waitForHosts();
        String name = "it's \"pgdeck\"; touch /tmp/pwned-" + System.nanoTime();
        robot.clickOn("Recoverable window");
        robot.clickOn("#restorePointButton");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#restorePointName").tryQuery().isPresent());
        robot.interact(() -> ((javafx.scene.control.TextField) robot.lookup("#restorePointName").query()).setText(name));
        clickWhenShown(robot, "OK");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#actionCommand").tryQuery().isPresent());
        TextArea command = robot.lookup("#actionCommand").query();
        assertTrue(command.getText().contains("pg_create_restore_point"), command.getText());
        clickRun(robot);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#timeline .timeline-restore-point")
                .queryAll().stream().anyMatch(n -> n.getProperties().get(TimelineModel.Item.class)
                        instanceof TimelineModel.Item item && item.tooltip().contains(name)));
        assertFalse(java.nio.file.Files.exists(java.nio.file.Path.of(name.substring(name.indexOf("/tmp/")))),
                "the name reached the server as text");
    }

    private HostActions sandboxActions() {
        return new SandboxConsoleHosts(SANDBOX.get()).actions("sandbox").orElseThrow();
    }

    private static Optional<CommandLogEntry> outputAfter(int index) {
        List<CommandLogEntry> entries = LOG.entries();
        return entries.subList(Math.min(index, entries.size()), entries.size()).stream()
                .filter(e -> e.kind() == CommandLogEntry.Kind.OUTPUT).findFirst();
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    private void waitForHosts() throws Exception {
        // generous: the first test of a run may be the one that builds the sandbox, on a loaded machine
        hosts.awaitProbed(viewModel, 300);
    }

    /** Clicks the confirmation's Run once its window is up (it is looked up while the dialog is still opening). */
    static void clickRun(FxRobot robot) throws java.util.concurrent.TimeoutException {
        clickWhenShown(robot, "#actionRun");
    }

    /** Clicks {@code query} once the window holding it is showing. */
    static void clickWhenShown(FxRobot robot, String query) throws java.util.concurrent.TimeoutException {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup(query).tryQuery()
                .filter(n -> n.isVisible() && n.getScene() != null && n.getScene().getWindow() != null
                        && n.getScene().getWindow().isShowing()).isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(query);
    }
}
