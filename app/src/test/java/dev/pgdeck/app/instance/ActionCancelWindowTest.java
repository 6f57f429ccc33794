package dev.pgdeck.app.instance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.app.TestWindows;
import dev.pgdeck.app.main.ConsoleHosts;
import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.model.CommandLogEntry;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.probe.HostActions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A base backup that prints a line and then hangs (a stand-in {@code pg_basebackup} script under the profile's
 * {@code pgBin}, run through the real local shell): its first line shows in the command log while it still runs, and
 * Cancel stops it.
 */
@ExtendWith(ApplicationExtension.class)
class ActionCancelWindowTest {
    @TempDir
    static Path root;

    private final CommandLog log = new CommandLog();
    private MainViewModel viewModel;

    @Start
    void start(Stage stage) throws Exception {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path script = bin.resolve("pg_basebackup");
        Files.writeString(script, "#!/bin/sh\necho \"waiting for checkpoint\"\nexec sleep 600\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        HostActions actions = new HostActions(new LocalShell("forge", log), HostProfile.builtIn("sandbox"),
                Map.of("root", root.toString(), "pgBin", bin.toString()), Clock.systemUTC());
        ConsoleHosts hosts = TestWindows.answering(() -> FixtureHosts.host("forge", FixtureHosts.withOneGap("main")),
                actions);
        viewModel = TestWindows.open(stage, log, hosts);
        viewModel.startUp();
    }

    @Test
    void theFirstLineShowsWhileTheBackupRunsAndCancelStopsIt(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> viewModel.selectedInstanceProperty().get() != null
                && !viewModel.busyProperty().get());
        robot.clickOn("#baseBackupButton");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#actionCommand").tryQuery().isPresent());
        TextArea command = robot.lookup("#actionCommand").query();
        assertTrue(command.getText().startsWith(root.resolve("bin/pg_basebackup").toString()), command.getText());
        InstanceDetailWindowTest.clickRun(robot);

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> log.entries().stream()
                .anyMatch(e -> e.kind() == CommandLogEntry.Kind.OUTPUT && e.text().equals("waiting for checkpoint")));
        assertTrue(viewModel.busyProperty().get(), "the backup still runs");
        assertFalse(robot.lookup("#cancelButton").query().isDisabled());

        robot.clickOn("#cancelButton");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !viewModel.busyProperty().get());
        assertTrue(log.entries().stream().anyMatch(e -> e.kind() == CommandLogEntry.Kind.COMMAND
                && e.text().contains("pg_basebackup") && e.outcome().equals("cancelled")), log.entries().toString());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> ProcessHandle.allProcesses().noneMatch(p ->
                p.info().commandLine().map(c -> c.contains("sleep 600")).orElse(false)));
    }
}
