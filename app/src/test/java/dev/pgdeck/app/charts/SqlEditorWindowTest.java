package dev.pgdeck.app.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.app.TestWindows;
import dev.pgdeck.app.sql.SqlEditorViewModel;
import dev.pgdeck.app.main.SandboxConsoleHosts;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.pg.InstancePool;
import dev.pgdeck.remote.sandbox.SandboxHost;
import dev.pgdeck.remote.sandbox.SandboxInstance;
import io.fair_acc.dataset.DataSet;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The ad hoc SQL editor of the Charts tab against the sandbox's warehouse, through analytics_readonly. */
@ExtendWith(ApplicationExtension.class)
class SqlEditorWindowTest {
    private static final CommandLog LOG = new CommandLog();
    private static SandboxHost sandbox;
    private static SandboxAnalyticsSource analytics;
    private static InstancePool superuser;
    private final AtomicReference<Path> nextFile = new AtomicReference<>();
    private SqlEditorViewModel sql;

    @Start
    void start(Stage stage) {
        if (sandbox == null) {
            sandbox = SandboxHost.fromEnvironment(LOG);
            analytics = new SandboxAnalyticsSource(sandbox, LOG);
        }
        SaveDialog save = (title, name, extension) -> Optional.ofNullable(nextFile.get());
        TestWindows.Opened opened = TestWindows.open(stage, LOG, new SandboxConsoleHosts(sandbox), analytics, save);
        sql = opened.sql();
        opened.main().startUp();
    }

    @AfterAll
    static void stopSandbox() throws Exception {
        if (superuser != null) {
            superuser.close();
        }
        if (analytics != null) {
            analytics.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void runsASelectAndChartsWhatTheSqlSays(FxRobot robot) throws Exception {
        openEditor(robot);
        String query = "SELECT day, active_users FROM web_analytics.mart_daily_active_users"
                + " WHERE day >= current_date - 60 ORDER BY day";
        runSql(robot, query);
        List<List<Object>> expected = superuserRows(query);
        assertFalse(expected.isEmpty(), "the sandbox's mart is empty");

        TableView<List<Object>> table = robot.lookup("#sqlTable").queryTableView();
        assertEquals(List.of("day", "active_users"), table.getColumns().stream().map(c -> c.getText()).toList());
        assertEquals(expected.size(), table.getItems().size());
        DataSet points = sql.points();
        assertEquals(expected.size(), points.getDataCount());
        assertEquals(SqlEditorViewModel.XKind.TIME, sql.xKindProperty().get());
        for (int i = 0; i < expected.size(); i++) {
            LocalDate day = ((java.sql.Date) expected.get(i).get(0)).toLocalDate();
            double users = ((Number) expected.get(i).get(1)).doubleValue();
            assertEquals(day.toString(), String.valueOf(table.getItems().get(i).get(0)));
            assertEquals(users, ((Number) table.getItems().get(i).get(1)).doubleValue());
            assertEquals(day.atStartOfDay(ZoneOffset.UTC).toEpochSecond(), points.get(DataSet.DIM_X, i));
            assertEquals(users, points.get(DataSet.DIM_Y, i));
        }

        // Bars of a text column against a number.
        String pages = "SELECT page, sum(page_views) AS views FROM web_analytics.mart_page_views_daily"
                + " GROUP BY page ORDER BY views DESC, page LIMIT 10";
        runSql(robot, pages);
        ComboBox<Object> kind = robot.lookup("#sqlKind").queryComboBox();
        robot.interact(() -> kind.getSelectionModel().select(1));
        WaitForAsyncUtils.waitForFxEvents();
        List<List<Object>> top = superuserRows(pages);
        assertEquals(SqlEditorViewModel.XKind.CATEGORY, sql.xKindProperty().get());
        assertEquals(top.size(), sql.points().getDataCount());
        for (int i = 0; i < top.size(); i++) {
            assertEquals(String.valueOf(top.get(i).get(0)), sql.categories().get(i));
            assertEquals(((Number) top.get(i).get(1)).doubleValue(), sql.points().get(DataSet.DIM_Y, i));
        }
        assertTrue(robot.lookup("#sqlCategoryChart").query().isVisible());

        // Exports: CSV of the result, PNG of the chart.
        Path dir = Files.createTempDirectory("pgdeck-sql");
        Path csv = dir.resolve("query.csv");
        nextFile.set(csv);
        robot.clickOn("#sqlCsv");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(csv));
        List<String> lines = Files.readAllLines(csv);
        assertEquals("page,views", lines.get(0));
        assertEquals(top.size() + 1, lines.size());
        Path png = dir.resolve("query.png");
        nextFile.set(png);
        robot.clickOn("#sqlPng");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(png) && Files.size(png) > 0);
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertTrue(image.getWidth() > 100 && image.getHeight() > 100, image.getWidth() + "x" + image.getHeight());
    }

    @Test
    void aWriteIsRefusedInWordsAndDeletesNothing(FxRobot robot) throws Exception {
        openEditor(robot);
        long before = superuserCount("SELECT count(*) FROM web_analytics.posthog_events");
        assertTrue(before > 0, "no events in the sandbox");
        runSql(robot, "DELETE FROM web_analytics.posthog_events");
        assertEquals("Refused: DELETE is not a query; the editor runs only SELECT, WITH, VALUES, TABLE or EXPLAIN"
                + " without ANALYZE, read-only", sql.statusProperty().get());
        // One query that writes gets to the server, and fails there: the transaction is read-only.
        runSql(robot, "WITH gone AS (DELETE FROM web_analytics.posthog_events RETURNING 1) SELECT count(*) FROM gone");
        String status = sql.statusProperty().get();
        assertTrue(status.startsWith("Read-only: this editor cannot change data (DECLARE CURSOR must not contain"
                + " data-modifying statements in WITH)"), status);
        assertEquals(before, superuserCount("SELECT count(*) FROM web_analytics.posthog_events"));

        runSql(robot, "SELECT 1 FROM");
        assertTrue(sql.statusProperty().get().startsWith("Syntax error"), sql.statusProperty().get());

        // The text cannot change the editor's timeout (or anything else) with a SET of its own.
        runSql(robot, "SET statement_timeout = '0'; SELECT pg_sleep(30)");
        assertTrue(sql.statusProperty().get().startsWith("Refused: SET is not a query"), sql.statusProperty().get());
        runSql(robot, "SELECT current_setting('transaction_read_only') AS read_only, current_user AS who");
        TableView<List<Object>> table = robot.lookup("#sqlTable").queryTableView();
        assertEquals(List.of("on", "analytics_readonly"), table.getItems().get(0));
    }

    @Test
    void cancelStopsTheQueryOnTheServer(FxRobot robot) throws Exception {
        openEditor(robot);
        String sleep = "SELECT pg_sleep(30) AS slept_for_the_cancel_test";
        setSql(robot, sleep);
        robot.clickOn("#sqlRun");
        // The server runs it as FETCHes from the editor's cursor, as analytics_readonly.
        String running = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                + " AND usename = 'analytics_readonly' AND query LIKE 'FETCH % FROM pgdeck_adhoc'";
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> superuserCount(running) == 1);
        long clicked = System.nanoTime();
        robot.clickOn("#sqlCancel");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !sql.runningProperty().get());
        long millis = (System.nanoTime() - clicked) / 1_000_000;
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("cancelled", sql.statusProperty().get());
        assertTrue(millis < 5_000, "cancel took " + millis + " ms");
        assertEquals(0, superuserCount(running), "the server still runs the query");
    }

    private void openEditor(FxRobot robot) {
        robot.clickOn("Charts");
        robot.clickOn("SQL editor");
    }

    private void setSql(FxRobot robot, String text) {
        TextArea area = robot.lookup("#sqlText").query();
        robot.interact(() -> area.setText(text));
    }

    private void runSql(FxRobot robot, String text) throws Exception {
        setSql(robot, text);
        robot.clickOn("#sqlRun");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !sql.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static List<List<Object>> superuserRows(String query) throws Exception {
        try (Connection c = superuser().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            List<List<Object>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static long superuserCount(String query) throws Exception {
        return ((Number) superuserRows(query).get(0).get(0)).longValue();
    }

    private static javax.sql.DataSource superuser() throws Exception {
        if (superuser == null) {
            SandboxInstance instance = sandbox.awaitStarted(Duration.ofMinutes(2));
            superuser = InstancePool.open("test-superuser", "127.0.0.1", instance.port(), "analytics", "postgres",
                    false);
        }
        return superuser.dataSource();
    }

}
