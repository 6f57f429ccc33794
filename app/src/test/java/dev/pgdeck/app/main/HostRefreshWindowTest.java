package dev.pgdeck.app.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.app.TestWindows;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.sandbox.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The host list fills host by host: a fast host shows while a slow one is still being read, and the slow one then
 * shows its error and since when it is stale. The interval is changed in the toolbar and kept in ui.json.
 */
@ExtendWith(ApplicationExtension.class)
class HostRefreshWindowTest {
    private static final Instant STALE_SINCE = Instant.parse("2026-11-23T14:05:09Z");

    @TempDir
    static Path config;

    private final CountDownLatch slowMayAnswer = new CountDownLatch(1);
    private final AtomicInteger refreshes = new AtomicInteger();
    private MainViewModel viewModel;

    @Start
    void start(Stage stage) {
        ConsoleHosts hosts = new ConsoleHosts() {
            @Override
            public void start(Progress progress) {
            }

            @Override
            public List<HostStatus> refresh() {
                throw new AssertionError("the window reads its hosts one by one");
            }

            @Override
            public List<HostStatus> refresh(Consumer<HostStatus> eachAnswer) {
                refreshes.incrementAndGet();
                HostStatus fast = new HostStatus("fast", true, null, Instant.now(), List.of());
                eachAnswer.accept(fast);
                try {
                    slowMayAnswer.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                HostStatus slow = new HostStatus("slow", false, "no answer within 30 s", Instant.now(), List.of())
                        .stale(STALE_SINCE, "no answer within 30 s");
                eachAnswer.accept(slow);
                return List.of(fast, slow);
            }

            @Override
            public void close() {
            }
        };
        viewModel = TestWindows.openWithInventory(stage, new CommandLog(), hosts, config.resolve("hosts.json"));
        viewModel.startUp();
    }

    @Test
    void theFastHostShowsWhileTheSlowOneIsReadThenTheSlowOneSaysSinceWhenItIsStale(FxRobot robot)
            throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> viewModel.hostList().stream()
                .anyMatch(h -> h.name().equals("fast")));
        assertTrue(viewModel.busyProperty().get(), "the slow host is still being read");
        assertEquals(1, viewModel.hostList().size());
        assertTrue(robot.lookup("fast").tryQuery().isPresent());

        slowMayAnswer.countDown();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !viewModel.busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("fast", "slow"), viewModel.hostList().stream().map(HostStatus::name).toList());
        String clock = LocalTime.ofInstant(STALE_SINCE, ZoneId.systemDefault())
                .format(DateTimeFormatter.ofPattern("HH:mm:ss"));
        assertTrue(robot.lookup("stale since " + clock + " · no answer within 30 s").tryQuery().isPresent(),
                "the slow host's line in the list");

        robot.clickOn("slow");
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.Label error = robot.lookup("#hostError").query();
        assertTrue(error.getText().contains("stale since " + clock), error.getText());
        assertTrue(error.getText().endsWith("no answer within 30 s"), error.getText());
    }

    @Test
    void f5RefreshesAndTheIntervalIsKeptInUiJson(FxRobot robot) throws Exception {
        slowMayAnswer.countDown();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !viewModel.busyProperty().get()
                && viewModel.hostList().size() == 2);
        int before = refreshes.get();
        robot.clickOn("fast");
        robot.type(KeyCode.F5);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> refreshes.get() == before + 1);

        assertEquals(MainViewModel.DEFAULT_REFRESH_SECONDS, viewModel.refreshSecondsProperty().get());
        robot.clickOn("#refreshSpinner .increment-arrow-button");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(70, viewModel.refreshSecondsProperty().get());
        Path ui = config.resolve("ui.json");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(ui)
                && Files.readString(ui).contains("\"refreshSeconds\" : 70"));
        assertFalse(Files.readString(ui).contains("password"));
    }
}
