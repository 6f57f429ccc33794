package dev.pgdeck.app.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.app.TestWindows;
import dev.pgdeck.model.CommandLogEntry;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.remote.host.CommandLog;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The main window against the real sandbox: what it shows is what the sandbox's server says. */
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {
    private static final CommandLog LOG = new CommandLog();
    @RegisterExtension
    static final TestWindows.ClassSandbox SANDBOX = new TestWindows.ClassSandbox(LOG);
    private MainViewModel viewModel;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        viewModel = TestWindows.open(stage, LOG, new SandboxConsoleHosts(SANDBOX.get()));
        viewModel.startUp();
    }

    @Test
    void showsTheSandboxInstanceWithRealValues(FxRobot robot) throws Exception {
        waitForHosts(robot);
        ListView<HostStatus> hosts = robot.lookup("#hostList").queryListView();
        assertEquals("sandbox", hosts.getItems().get(0).name());
        assertEquals("sandbox", hosts.getSelectionModel().getSelectedItem().name());

        TableView<InstanceStatus> instances = robot.lookup("#instanceTable").queryTableView();
        InstanceStatus main = instances.getItems().get(0);
        assertEquals("main", main.name());
        assertTrue(main.running());
        assertEquals(2, main.baseBackupCount());
        assertTrue(main.archiver().archivedCount() > 0);
        assertTrue(robot.lookup(".state-running").tryQuery().isPresent(), "the running state is not shown in green");

        TableView<CommandLogEntry> log = robot.lookup("#logTable").queryTableView();
        // the whole overview is one host command (one round trip): psql's archiver query and the backup listing in it
        assertTrue(log.getItems().stream().anyMatch(e -> e.kind() == CommandLogEntry.Kind.COMMAND
                && e.text().contains("pg_stat_archiver")), "the archiver query is not in the command log");
        assertTrue(log.getItems().stream().anyMatch(e -> e.kind() == CommandLogEntry.Kind.COMMAND
                && e.text().contains("backup_manifest")), "the backup listing is not in the command log");
        Label status = robot.lookup("#statusLabel").query();
        assertTrue(status.getText().startsWith("Updated "), status.getText());
    }

    @Test
    void refreshRunsTheProbesAgain(FxRobot robot) throws Exception {
        waitForHosts(robot);
        TableView<CommandLogEntry> log = robot.lookup("#logTable").queryTableView();
        long archiverQueries = countArchiverQueries(log);
        robot.clickOn("#refreshButton");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> countArchiverQueries(log) > archiverQueries
                && !viewModel.busyProperty().get());
        // the button follows the refresh's end on the FX thread: give it that turn (a timeout here fails the test)
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#refreshButton").query().isDisabled());
        assertFalse(robot.lookup("#refreshButton").query().isDisabled());
    }

    @Test
    void darkThemeSwitchesTheStylesheet(FxRobot robot) throws Exception {
        waitForHosts(robot);
        robot.clickOn("#darkSwitch .thumb-area");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(stage.getScene().getStylesheets().stream().anyMatch(s -> s.endsWith("dark.css")));
        robot.clickOn("#darkSwitch .thumb-area");
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(stage.getScene().getStylesheets().stream().anyMatch(s -> s.endsWith("dark.css")));
    }

    private void waitForHosts(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !viewModel.busyProperty().get()
                && !viewModel.hostList().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(viewModel.failureProperty().get() == null, viewModel.statusTextProperty().get());
    }

    private static long countArchiverQueries(TableView<CommandLogEntry> log) {
        return log.getItems().stream().filter(e -> e.text().contains("pg_stat_archiver")).count();
    }
}
