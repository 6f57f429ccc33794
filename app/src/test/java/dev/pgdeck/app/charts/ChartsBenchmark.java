package dev.pgdeck.app.charts;

import dev.pgdeck.remote.charts.Chart;
import dev.pgdeck.remote.charts.ChartData;
import dev.pgdeck.remote.charts.ChartPoint;
import dev.pgdeck.remote.charts.ChartQueries;
import dev.pgdeck.remote.charts.DateRange;
import dev.pgdeck.remote.charts.Interval;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.testing.PostgresServerExtension;
import dev.pgdeck.remote.testing.TestDatabases;
import dev.pgdeck.remote.warehouse.WarehouseMigrations;
import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.CategoryAxis;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.renderer.LineStyle;
import io.fair_acc.chartfx.renderer.spi.ErrorDataSetRenderer;
import io.fair_acc.dataset.events.ChartBits;
import io.fair_acc.dataset.spi.DoubleDataSet;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javax.sql.DataSource;

/**
 * N events (default 6,000,000 over 180 days, the sandbox's generator) in a fresh warehouse; for each chart, the mart
 * query time (median of 5, through ChartQueries as analytics_readonly) and the time to a rendered ChartFX chart (query,
 * data set filled under its lock, layout and a snapshot on the FX thread, headless Monocle), beside the same question
 * asked of the raw table (seed 000's queries for DAU/30 days and top pages/7 days). Then the marts' incremental refresh
 * after an hour of new events. Run with:
 * <pre>
 * xvfb-run -a ./mvnw -q -B -o -pl app -am -Pbench verify -DskipTests -Dingest.bench.skip=true [-Dcharts.bench.events=N]
 * </pre>
 */
public final class ChartsBenchmark {
    private static final int RUNS = 5;

    private ChartsBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 6_000_000;
        PostgresServerExtension pg = new PostgresServerExtension();
        pg.beforeAll(null);
        try (Connection c = pg.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE analytics");
        }
        DataSource admin = TestDatabases.dataSource(pg, "analytics", "postgres");
        new WarehouseMigrations(admin).migrate();
        long t = System.nanoTime();
        try (Connection c = admin.getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER ROLE analytics_readonly LOGIN");
            st.execute("DROP INDEX web_analytics.idx_posthog_properties");
            String sql = resource("/dev/pgdeck/sandbox/events.sql");
            int chunk = 500_000;
            for (int first = 1; first <= n; first += chunk) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int count = Math.min(chunk, n - first + 1);
                    ps.setLong(1, first);
                    ps.setLong(2, first);
                    ps.setInt(3, count);
                    ps.setInt(4, Math.max(10, n / 25));
                    ps.executeUpdate();
                }
                System.out.printf(Locale.ROOT, "  loaded %,d events (%.0f s)%n", Math.min(n, first + chunk - 1L),
                        secs(t));
            }
            st.execute("CREATE INDEX idx_posthog_properties ON web_analytics.posthog_events USING GIN(properties)");
            st.execute("VACUUM ANALYZE web_analytics.posthog_events");
            System.out.printf(Locale.ROOT, "%,d events loaded and indexed in %.0f s%n", n, secs(t));
            t = System.nanoTime();
            st.execute("SELECT web_analytics.refresh_marts(ARRAY(SELECT DISTINCT (timestamp AT TIME ZONE 'UTC')::date"
                    + " FROM web_analytics.posthog_events))");
            System.out.printf(Locale.ROOT, "full mart refresh (all days): %.1f s%n", secs(t));
            st.execute("VACUUM ANALYZE");
        }

        CountDownLatch fx = new CountDownLatch(1);
        Platform.startup(fx::countDown);
        fx.await();

        try (ChartQueries queries = ChartQueries.open("127.0.0.1", pg.port(), null, new CommandLog(), "bench")) {
            var today = queries.today();
            record Case(Chart chart, int days, Interval interval, String raw) {}
            List<Case> cases = List.of(
                    new Case(Chart.DAU, 30, Interval.DAY, "SELECT DATE(timestamp) AS date, COUNT(DISTINCT user_id)"
                            + " AS dau FROM web_analytics.posthog_events WHERE timestamp >= NOW() - INTERVAL '30 days'"
                            + " GROUP BY DATE(timestamp) ORDER BY date"),
                    new Case(Chart.DAU, 180, Interval.WEEK, null),
                    new Case(Chart.DAU, 180, Interval.MONTH, null),
                    new Case(Chart.WAU, 30, Interval.DAY, null),
                    new Case(Chart.MAU, 30, Interval.DAY, null),
                    new Case(Chart.MAU, 180, Interval.MONTH, "-"), // raw: 180 distinct counts over 30 days, minutes
                    new Case(Chart.EVENTS, 180, Interval.DAY, null),
                    new Case(Chart.SESSIONS, 30, Interval.DAY, null),
                    new Case(Chart.PAGEVIEWS, 90, Interval.WEEK, null),
                    new Case(Chart.TOP_PAGES, 7, Interval.DAY, "SELECT properties->>'$current_url' AS page,"
                            + " COUNT(*) AS views FROM web_analytics.posthog_events WHERE event_name = '$pageview'"
                            + " AND timestamp >= NOW() - INTERVAL '7 days' GROUP BY 1 ORDER BY views DESC LIMIT 10"),
                    new Case(Chart.EVENTS_BY_NAME, 30, Interval.DAY, null));
            RawEvents raw = new RawEvents(admin);
            System.out.printf(Locale.ROOT, "%n%-52s %10s %12s %12s%n", "chart", "mart ms", "rendered ms", "raw ms");
            for (Case each : cases) {
                DateRange range = DateRange.lastDays(each.days, today);
                double[] query = new double[RUNS];
                double[] rendered = new double[RUNS];
                Renderer renderer = new Renderer(each.chart.timeSeries());
                for (int i = -1; i < RUNS; i++) { // one warm-up
                    long q = System.nanoTime();
                    ChartData data = queries.load(each.chart, range, each.interval, false);
                    double queryMs = (System.nanoTime() - q) / 1e6;
                    renderer.fill(data);
                    renderer.render();
                    double renderedMs = (System.nanoTime() - q) / 1e6;
                    if (i >= 0) {
                        query[i] = queryMs;
                        rendered[i] = renderedMs;
                    }
                }
                long r = System.nanoTime();
                if ("-".equals(each.raw)) {
                    System.out.printf(Locale.ROOT, "%-52s %10.1f %12.1f %12s%n",
                            each.chart.cliName() + " " + each.days + " days by " + each.interval,
                            median(query), median(rendered), "(skipped)");
                    continue;
                }
                if (each.raw != null) {
                    try (Connection c = admin.getConnection(); Statement st = c.createStatement();
                         ResultSet rs = st.executeQuery(each.raw)) {
                        while (rs.next()) {
                            rs.getObject(1);
                        }
                    }
                } else {
                    raw.values(each.chart, range, each.interval);
                }
                double rawMs = (System.nanoTime() - r) / 1e6;
                System.out.printf(Locale.ROOT, "%-52s %10.1f %12.1f %12.0f%s%n",
                        each.chart.cliName() + " " + each.days + " days by " + each.interval,
                        median(query), median(rendered), rawMs, each.raw != null ? "  (seed 000's query)" : "");
            }
        }

        // V5's distinct users per week/month, counted at query time from mart_daily_users (what V6 replaced).
        try (Connection c = admin.getConnection()) {
            DateRange range = DateRange.lastDays(180, queriesToday(c));
            for (String unit : List.of("week", "month")) {
                double[] ms = new double[RUNS];
                for (int i = -1; i < RUNS; i++) {
                    long q = System.nanoTime();
                    try (PreparedStatement ps = c.prepareStatement("SELECT date_trunc(?, day::timestamp)::date AS b,"
                            + " count(DISTINCT user_id) FROM web_analytics.mart_daily_users WHERE day BETWEEN ? AND ?"
                            + " GROUP BY b ORDER BY b")) {
                        ps.setString(1, unit);
                        ps.setObject(2, range.from());
                        ps.setObject(3, range.to());
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                rs.getObject(1);
                            }
                        }
                    }
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - q) / 1e6;
                    }
                }
                System.out.printf(Locale.ROOT, "%-52s %10.1f%n", "dau 180 days by " + unit + ", V5's query (before V6)",
                        median(ms));
            }
        }

        int hour = Math.max(1, n / 180 / 24);
        try (Connection c = admin.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO web_analytics.posthog_events (event_id, event_name, properties, timestamp,"
                    + " user_id, session_id) SELECT 'hour-' || g, CASE WHEN g % 3 = 0 THEN 'signed_up' ELSE '$pageview'"
                    + " END, jsonb_build_object('$current_url', 'https://shop.example.com/docs'), now() - make_interval("
                    + "secs => g % 3600), 'user-' || (g % " + Math.max(10, n / 25) + "), 'hour-s-' || (g % 500)"
                    + " FROM generate_series(1, " + hour + ") g");
            // As an ingestion run refreshes: the touched day and the two before it (IngestOptions' mart lookback).
            String days = "ARRAY[(now() AT TIME ZONE 'UTC')::date - 2, (now() AT TIME ZONE 'UTC')::date - 1,"
                    + " (now() AT TIME ZONE 'UTC')::date]";
            long r = System.nanoTime();
            st.execute("SELECT web_analytics.refresh_marts(" + days + ")");
            System.out.printf(Locale.ROOT, "%nincremental mart refresh after an hour of new events (%,d events,"
                    + " 3 days refreshed): %.0f ms (goal: under 1000 ms)%n", hour, (System.nanoTime() - r) / 1e6);
            r = System.nanoTime();
            st.execute("SELECT web_analytics.refresh_period_users(" + days + ")");
            st.execute("SELECT web_analytics.refresh_active_users((now() AT TIME ZONE 'UTC')::date - 2,"
                    + " (now() AT TIME ZONE 'UTC')::date + 29)");
            System.out.printf(Locale.ROOT, "  beside: rebuilding the same days' distinct-user marts in full, as V6 did"
                    + " (refresh_period_users + refresh_active_users): %.0f ms%n", (System.nanoTime() - r) / 1e6);
        }
        Platform.exit();
        pg.afterAll(null);
    }

    private static java.time.LocalDate queriesToday(Connection c) throws Exception {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (now() AT TIME ZONE 'UTC')::date")) {
            rs.next();
            return rs.getObject(1, java.time.LocalDate.class);
        }
    }

    /** One ChartFX chart in a scene of its own, 1000x600, rendered by a snapshot on the FX thread. */
    private static final class Renderer {
        private final DoubleDataSet dataSet = new DoubleDataSet("bench");
        private final boolean time;
        private XYChart chart;
        private CategoryAxis categoryAxis;

        Renderer(boolean time) throws Exception {
            this.time = time;
            onFx(() -> {
                DefaultNumericAxis x;
                if (time) {
                    x = new DefaultNumericAxis("date");
                    x.setTimeAxis(true);
                } else {
                    categoryAxis = new CategoryAxis("", FXCollections.observableArrayList());
                    x = categoryAxis;
                }
                chart = new XYChart(x, new DefaultNumericAxis("value"));
                ErrorDataSetRenderer r = new ErrorDataSetRenderer();
                r.setPolyLineStyle(time ? LineStyle.NORMAL : LineStyle.NONE);
                r.setDrawBars(!time);
                r.getDatasets().add(dataSet);
                chart.getRenderers().setAll(r);
                // Shown in a window: ChartFX locks its data sets before a pulse's layout and frees them after it.
                javafx.stage.Stage stage = new javafx.stage.Stage();
                stage.setScene(new Scene(new StackPane(chart), 1000, 600));
                stage.show();
                return null;
            });
        }

        /** On the caller's (worker) thread, under the data set's write lock. */
        void fill(ChartData data) throws Exception {
            List<ChartPoint> points = data.current().points();
            double[] x = new double[points.size()];
            double[] y = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                x[i] = time ? ChartsViewModel.seconds(points.get(i).date()) : i;
                y[i] = points.get(i).value();
            }
            dataSet.lock().writeLockGuard(() -> {
                dataSet.set(x, y, true);
            });
            dataSet.fireInvalidated(ChartBits.DataSetData);
            if (!time) {
                List<String> names = points.stream().map(ChartPoint::category).toList();
                onFx(() -> {
                    categoryAxis.setCategories(FXCollections.observableArrayList(names));
                    return null;
                });
            }
        }

        /** Until the next pulse has laid the chart out and drawn it, then a snapshot of its pixels. */
        void render() throws Exception {
            CompletableFuture<Void> drawn = new CompletableFuture<>();
            onFx(() -> {
                Scene scene = chart.getScene();
                Runnable[] once = new Runnable[1];
                once[0] = () -> {
                    scene.removePostLayoutPulseListener(once[0]);
                    drawn.complete(null);
                };
                scene.addPostLayoutPulseListener(once[0]);
                chart.requestLayout();
                return null;
            });
            drawn.get();
            onFx(() -> chart.snapshot(null, null));
        }
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = ChartsBenchmark.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
