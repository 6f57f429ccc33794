package dev.pgdeck.app.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.app.TestWindows;
import dev.pgdeck.app.ingest.IngestWizardModel.PreviewRow;
import dev.pgdeck.app.ingest.IngestWizardModel.Step;
import dev.pgdeck.app.main.SandboxConsoleHosts;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.ingest.QualityCheck;
import dev.pgdeck.remote.sandbox.Progress;
import dev.pgdeck.remote.sandbox.SandboxHost;
import dev.pgdeck.remote.testing.EventStore;
import dev.pgdeck.remote.testing.FakePostHog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Ingest tab driven like an operator would, against the fake PostHog (the remote module's test fixture) and the
 * real sandbox's {@code analytics} warehouse.
 */
@ExtendWith(ApplicationExtension.class)
class IngestWizardTest {
    private static final CommandLog LOG = new CommandLog();
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final int EVENTS = 250;
    private static SandboxHost sandbox;
    private static FakePostHog posthog;
    private static final List<String> ids = new ArrayList<>();

    @TempDir
    static Path dir;

    private IngestWizardModel model;

    @BeforeAll
    static void startSandboxAndPostHog() throws Exception {
        sandbox = SandboxHost.fromEnvironment(LOG);
        sandbox.start(Progress.NONE);
        EventStore.InMemory events = new EventStore.InMemory();
        for (int i = 0; i < EVENTS; i++) {
            // Fresh ids each time: the test sandbox outlives a test run, and every run must insert them all.
            String id = UUID.randomUUID().toString();
            boolean pageview = i % 2 == 0;
            events.add(FakePostHog.event(id, pageview ? "$pageview" : "clicked", T0.plusSeconds(60L * i),
                    "user-" + i % 9, pageview ? "https://shop.example.com/p/" + i % 4 : null));
        }
        for (int i = 0; i < events.size(); i++) {
            ids.add(events.get(i).event().get("id").asText());
        }
        posthog = new FakePostHog(events);
    }

    @AfterAll
    static void stop() throws Exception {
        if (posthog != null) {
            posthog.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Start
    void start(Stage stage) {
        model = TestWindows.openWithIngest(stage, LOG, new SandboxConsoleHosts(sandbox), new SandboxIngestTarget(sandbox));
    }

    @Test
    void ingestsEveryEventOfTheSourceAndShowsTheSummary(FxRobot robot) throws Exception {
        Path keyFile = dir.resolve("posthog.key");
        Files.writeString(keyFile, FakePostHog.KEY + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        // A fresh project: its watermark is its own, whatever earlier runs left in the sandbox.
        String project = "wiz" + Long.toString(System.nanoTime(), 36);
        model.pageSizeProperty().set(50);

        openIngestTab(robot);
        assertTrue(robot.lookup("#nextButton").queryButton().isDisabled(), "Next before the connection was tested");
        replaceText(robot, "#postHogUrlField", posthog.uri().toString());
        replaceText(robot, "#projectIdField", project);
        replaceText(robot, "#keyFileField", keyFile.toString());
        robot.clickOn("#testConnectionButton");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> model.connectionOkProperty().get()
                || model.connectionFailedProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        Label message = robot.lookup("#connectionMessage").queryAs(Label.class);
        assertTrue(message.getText().startsWith("Connected"), message.getText());
        assertFalse(robot.lookup("#nextButton").queryButton().isDisabled());

        robot.clickOn("#nextButton");
        assertEquals(Step.RANGE, model.stepProperty().get());
        robot.clickOn("#backfillRadio");
        DatePicker since = robot.lookup("#sinceDatePicker").queryAs(DatePicker.class);
        robot.interact(() -> since.setValue(LocalDate.of(2025, 3, 1)));
        robot.clickOn("#nextButton");

        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !model.loadingPreviewProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        TableView<PreviewRow> preview = robot.lookup("#previewTable").queryTableView();
        assertEquals(20, preview.getItems().size(), robot.lookup("#previewMessage").queryAs(Label.class).getText());
        assertEquals(ids.get(0), preview.getItems().get(0).uuid());
        assertEquals("$pageview", preview.getItems().get(0).event());
        assertEquals("Start ingest", robot.lookup("#nextButton").queryButton().getText());

        robot.clickOn("#nextButton");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> model.stepProperty().get() == Step.SUMMARY);
        WaitForAsyncUtils.waitForFxEvents();

        String summary = robot.lookup("#summaryMessage").queryAs(Label.class).getText();
        assertTrue(summary.startsWith("Done."), summary);
        assertEquals(Integer.toString(EVENTS), text(robot, "#summaryFetched"));
        assertEquals(Integer.toString(EVENTS), text(robot, "#summaryInserted"));
        assertEquals("0", text(robot, "#summaryDuplicates"));
        assertEquals("0", text(robot, "#summaryRejected"));
        assertTrue(Integer.parseInt(text(robot, "#summaryPages")) >= 5, text(robot, "#summaryPages"));
        assertEquals(T0.plusSeconds(60L * (EVENTS - 1)).toString(), text(robot, "#summaryWatermark"));
        assertEquals(EVENTS, countInWarehouse(), "the source's events in the sandbox's warehouse");

        TableView<QualityCheck> checks = robot.lookup("#checksTable").queryTableView();
        assertFalse(checks.getItems().isEmpty(), "no data-quality results shown");
        assertTrue(checks.getItems().stream().allMatch(QualityCheck::passed), String.valueOf(checks.getItems()));
        Button back = robot.lookup("#backButton").queryButton();
        assertEquals("Another run", back.getText());
        assertFalse(back.isDisabled());
    }

    @Test
    void aWrongKeyShowsPostHogsAnswerInWords(FxRobot robot) throws Exception {
        openIngestTab(robot);
        replaceText(robot, "#postHogUrlField", posthog.uri().toString());
        replaceText(robot, "#projectIdField", "42");
        replaceText(robot, "#keyField", "phx_not_the_right_key");
        robot.clickOn("#testConnectionButton");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> model.connectionFailedProperty().get()
                || model.connectionOkProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        String message = text(robot, "#connectionMessage");
        assertTrue(message.startsWith("The connection failed: "), message);
        assertTrue(message.contains("HTTP 401"), message);
        assertTrue(message.contains("Invalid personal API key"), message);
        assertFalse(message.contains("phx_not_the_right_key"), "the key is shown: " + message);
        assertTrue(robot.lookup("#nextButton").queryButton().isDisabled(), "Next after a failed test");
        assertTrue(robot.lookup(".error-text").queryAll().contains(robot.lookup("#connectionMessage").query()));
    }

    private static void openIngestTab(FxRobot robot) {
        TabPane tabs = robot.lookup("#tabs").queryAs(TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(
                tabs.getTabs().stream().filter(t -> t.getText().equals("Ingest")).findFirst().orElseThrow()));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static void replaceText(FxRobot robot, String query, String text) {
        robot.clickOn(query);
        robot.push(KeyCode.CONTROL, KeyCode.A);
        robot.write(text);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    private static long countInWarehouse() throws Exception {
        try (Connection c = sandbox.database("analytics").getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT count(*) FROM web_analytics.posthog_events WHERE event_id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
