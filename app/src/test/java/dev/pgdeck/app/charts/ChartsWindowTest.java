package dev.pgdeck.app.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.app.TestWindows;
import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.app.main.SandboxConsoleHosts;
import dev.pgdeck.remote.charts.Chart;
import dev.pgdeck.remote.charts.ChartData;
import dev.pgdeck.remote.charts.ChartPoint;
import dev.pgdeck.remote.charts.DateRange;
import dev.pgdeck.remote.charts.Interval;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.pg.InstancePool;
import dev.pgdeck.remote.sandbox.SandboxHost;
import dev.pgdeck.remote.sandbox.SandboxInstance;
import io.fair_acc.chartfx.XYChart;
import io.fair_acc.dataset.DataSet;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Charts tab against the sandbox's warehouse: what it draws is what the raw events say. */
@ExtendWith(ApplicationExtension.class)
class ChartsWindowTest {
    private static final CommandLog LOG = new CommandLog();
    private static SandboxHost sandbox;
    private static SandboxAnalyticsSource analytics;
    private static InstancePool raw;
    private final AtomicReference<Path> nextFile = new AtomicReference<>();
    private MainViewModel main;
    private ChartsViewModel charts;

    @Start
    void start(Stage stage) {
        if (sandbox == null) {
            sandbox = SandboxHost.fromEnvironment(LOG);
            analytics = new SandboxAnalyticsSource(sandbox, LOG);
        }
        SaveDialog save = (title, name, extension) -> Optional.ofNullable(nextFile.get());
        TestWindows.Opened opened = TestWindows.open(stage, LOG, new SandboxConsoleHosts(sandbox), analytics, save);
        main = opened.main();
        charts = opened.charts();
        main.startUp();
    }

    @AfterAll
    static void stopSandbox() throws Exception {
        if (raw != null) {
            raw.close();
        }
        if (analytics != null) {
            analytics.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void changingRangeAndIntervalDrawsWhatTheRawTableSays(FxRobot robot) throws Exception {
        openChartsTab(robot);
        awaitChart(Chart.DAU, 30, Interval.DAY);
        assertPointsMatchRaw();

        ComboBox<RangePreset> range = robot.lookup("#rangePicker").queryComboBox();
        ComboBox<Interval> interval = robot.lookup("#intervalPicker").queryComboBox();
        robot.interact(() -> range.getSelectionModel().select(RangePreset.LAST_90));
        robot.interact(() -> interval.getSelectionModel().select(Interval.WEEK));
        awaitChart(Chart.DAU, 90, Interval.WEEK);
        assertPointsMatchRaw();
        ChartData weekly = charts.dataProperty().get();
        assertTrue(weekly.current().points().get(weekly.current().points().size() - 1).incomplete(),
                "the current week is not marked incomplete");
        assertTrue(charts.incompleteDataSet().getDataCount() >= 2, "the open week is not drawn as its own series");

        ComboBox<Chart> chart = robot.lookup("#chartPicker").queryComboBox();
        for (Chart each : List.of(Chart.MAU, Chart.WAU, Chart.PAGEVIEWS, Chart.SESSIONS, Chart.EVENTS)) {
            robot.interact(() -> chart.getSelectionModel().select(each));
            awaitChart(each, 90, Interval.WEEK);
            assertPointsMatchRaw();
        }
        robot.interact(() -> {
            range.getSelectionModel().select(RangePreset.LAST_180);
            interval.getSelectionModel().select(Interval.MONTH);
        });
        awaitChart(Chart.EVENTS, 180, Interval.MONTH);
        assertPointsMatchRaw();
        // Distinct users by month: whole months from the period mart (V6), the cut first and last from daily users.
        robot.interact(() -> chart.getSelectionModel().select(Chart.DAU));
        awaitChart(Chart.DAU, 180, Interval.MONTH);
        assertPointsMatchRaw();
        robot.interact(() -> interval.getSelectionModel().select(Interval.DAY));
        robot.interact(() -> chart.getSelectionModel().select(Chart.MAU));
        awaitChart(Chart.MAU, 180, Interval.DAY);
        assertPointsMatchRaw();

        robot.interact(() -> chart.getSelectionModel().select(Chart.TOP_PAGES));
        awaitChart(Chart.TOP_PAGES, 180, Interval.DAY);
        assertPointsMatchRaw();
        XYChart bars = robot.lookup("#barChart").query();
        assertTrue(bars.isVisible());
        assertFalse(robot.lookup("#timeChart").query().isVisible());
        robot.interact(() -> range.getSelectionModel().select(RangePreset.LAST_7));
        robot.interact(() -> chart.getSelectionModel().select(Chart.EVENTS_BY_NAME));
        awaitChart(Chart.EVENTS_BY_NAME, 7, Interval.DAY);
        assertPointsMatchRaw();

        // Custom dates.
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        robot.interact(() -> charts.select(Chart.PAGEVIEWS, new DateRange(today.minusDays(60), today.minusDays(41)),
                Interval.DAY, false));
        awaitChart(Chart.PAGEVIEWS, 20, Interval.DAY);
        assertEquals(RangePreset.CUSTOM, range.getValue());
        assertPointsMatchRaw();
        assertEquals(0, charts.incompleteDataSet().getDataCount(), "a finished range has no open period");
        TableView<ChartRow> table = robot.lookup("#valuesTable").queryTableView();
        assertEquals(20, table.getItems().size());
    }

    @Test
    void compareShowsThePreviousPeriodsFigureAndChange(FxRobot robot) throws Exception {
        openChartsTab(robot);
        awaitChart(Chart.DAU, 30, Interval.DAY);
        ComboBox<Chart> chart = robot.lookup("#chartPicker").queryComboBox();
        robot.interact(() -> chart.getSelectionModel().select(Chart.PAGEVIEWS));
        robot.clickOn("#compareBox");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !charts.busyProperty().get()
                && charts.dataProperty().get() != null && charts.dataProperty().get().compared()
                && charts.dataProperty().get().chart() == Chart.PAGEVIEWS);
        WaitForAsyncUtils.waitForFxEvents();
        ChartData data = charts.dataProperty().get();
        DateRange now = data.range();
        DateRange before = now.previous();
        String pageviews = "SELECT count(*) FROM web_analytics.posthog_events WHERE " + RawEvents.inRange()
                + " AND event_name = '$pageview'";
        double current = rawEvents().scalar(pageviews, now.from(), now.to());
        double previous = rawEvents().scalar(pageviews, before.from(), before.to());
        assertTrue(previous > 0, "the sandbox has no page views in the previous period");
        assertEquals(current, data.figure());
        assertEquals(previous, data.previousFigure());
        String expected = ChartsViewModel.percent((current - previous) / previous * 100);
        Label figure = robot.lookup("#figureLabel").query();
        Label change = robot.lookup("#changeLabel").query();
        assertEquals(ChartsViewModel.number(current) + " in total", figure.getText());
        assertTrue(change.getText().endsWith(expected), change.getText() + " does not end with " + expected);
        assertTrue(change.getText().contains(ChartsViewModel.number(previous)), change.getText());
        assertEquals(data.current().points().size(), charts.previousDataSet().getDataCount(),
                "the previous period is not overlaid");
    }

    @Test
    void exportsAValidCsvAndPng(FxRobot robot) throws Exception {
        openChartsTab(robot);
        awaitChart(Chart.DAU, 30, Interval.DAY);
        Path dir = Files.createTempDirectory("pgdeck-charts");
        Path csv = dir.resolve("dau.csv");
        nextFile.set(csv);
        robot.clickOn("#csvButton");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(csv));
        List<String> lines = Files.readAllLines(csv);
        assertEquals("date,value,incomplete", lines.get(0));
        ChartData data = charts.dataProperty().get();
        assertEquals(data.current().points().size() + 1, lines.size());
        for (int i = 1; i < lines.size(); i++) {
            String[] fields = lines.get(i).split(",", -1);
            assertEquals(3, fields.length, lines.get(i));
            ChartPoint p = data.current().points().get(i - 1);
            assertEquals(p.date(), LocalDate.parse(fields[0]));
            assertEquals(p.value(), Double.parseDouble(fields[1]));
            assertEquals(p.incomplete(), Boolean.parseBoolean(fields[2]));
        }

        Path png = dir.resolve("dau.png");
        nextFile.set(png);
        // The chart's size when it is exported: let the CSV export's status line settle the layout first.
        WaitForAsyncUtils.waitForFxEvents(5);
        XYChart shown = robot.lookup("#timeChart").query();
        double width = shown.getWidth();
        double height = shown.getHeight();
        robot.clickOn("#pngButton");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(png) && Files.size(png) > 0);
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "not a PNG ImageIO can read");
        // ChartFX re-lays its canvas out by a pixel or two around a click (measured: 299 <-> 301 px high).
        assertEquals(Math.ceil(width), image.getWidth(), 2.0);
        assertEquals(Math.ceil(height), image.getHeight(), 2.0);
        assertTrue(image.getWidth() > 200 && image.getHeight() > 150, image.getWidth() + "x" + image.getHeight());
    }

    @Test
    void chartsReadThroughTheReadonlyRoleAndCannotWrite(FxRobot robot) throws Exception {
        openChartsTab(robot);
        awaitChart(Chart.DAU, 30, Interval.DAY);
        try (Connection c = analytics.queries().dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT current_user, current_setting('statement_timeout')")) {
                rs.next();
                assertEquals("analytics_readonly", rs.getString(1));
                assertEquals("15s", rs.getString(2));
            }
            SQLException readOnly = assertThrows(SQLException.class, () ->
                    s.executeUpdate("INSERT INTO web_analytics.daily_summary (date) VALUES ('1999-01-01')"));
            assertEquals("25006", readOnly.getSQLState(), readOnly.getMessage()); // read-only transaction
            // Even when the transaction is made writable, the role may not write. (pgjdbc asks for it with SET SESSION
            // CHARACTERISTICS AS TRANSACTION READ WRITE, which a client may do past the role's read-only default, V8.)
            c.setReadOnly(false);
            SQLException denied = assertThrows(SQLException.class, () ->
                    s.executeUpdate("INSERT INTO web_analytics.daily_summary (date) VALUES ('1999-01-01')"));
            assertEquals("42501", denied.getSQLState(), denied.getMessage()); // insufficient privilege
            c.setReadOnly(true);
        }
    }

    private void openChartsTab(FxRobot robot) {
        robot.clickOn("Charts");
    }

    private void awaitChart(Chart chart, int days, Interval interval) throws Exception {
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> {
            ChartData data = charts.dataProperty().get();
            return !charts.busyProperty().get() && data != null && data.chart() == chart
                    && data.range().days() == days && (!chart.timeSeries() || data.interval() == interval);
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The drawn points (from the chart's data sets) equal the raw table's answer, bucket by bucket. */
    private void assertPointsMatchRaw() throws Exception {
        ChartData data = charts.dataProperty().get();
        Map<String, Double> expected = rawEvents().values(data.chart(), data.range(), data.interval());
        Map<String, Double> drawn = new TreeMap<>();
        if (data.chart().timeSeries()) {
            for (DataSet set : List.of(charts.completeDataSet(), charts.incompleteDataSet())) {
                for (int i = 0; i < set.getDataCount(); i++) {
                    LocalDate day = Instant.ofEpochSecond((long) set.get(DataSet.DIM_X, i))
                            .atZone(ZoneOffset.UTC).toLocalDate();
                    drawn.put(day.toString(), set.get(DataSet.DIM_Y, i));
                }
            }
            assertEquals(data.current().points().size(), drawn.size());
        } else {
            DataSet set = charts.barsDataSet();
            for (int i = 0; i < set.getDataCount(); i++) {
                drawn.put(charts.categories().get((int) set.get(DataSet.DIM_X, i)), set.get(DataSet.DIM_Y, i));
            }
        }
        assertFalse(expected.isEmpty(), "the raw table has nothing for " + data.range());
        for (Map.Entry<String, Double> point : drawn.entrySet()) {
            assertEquals(expected.getOrDefault(point.getKey(), 0.0), point.getValue(),
                    data.chart() + " " + data.range() + " by " + data.interval() + " at " + point.getKey());
        }
        for (String key : expected.keySet()) {
            assertTrue(drawn.containsKey(key), data.chart() + ": the raw table has " + key + ", the chart not");
        }
    }

    private static RawEvents rawEvents() throws Exception {
        if (raw == null) {
            SandboxInstance instance = sandbox.awaitStarted(Duration.ofMinutes(2));
            raw = InstancePool.open("test-raw", "127.0.0.1", instance.port(), "analytics", "postgres", true);
        }
        return new RawEvents(raw.dataSource());
    }
}
