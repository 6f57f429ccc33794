package dev.pgdeck.remote.charts;

import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.pg.InstancePool;
import dev.pgdeck.remote.pg.LoggedSql;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads the charts from the warehouse's marts, never the raw events, through the {@code analytics_readonly} role on a
 * read-only pool with a statement timeout. Every statement goes to the command log.
 */
public final class ChartQueries implements AutoCloseable {
    public static final String READONLY_ROLE = "analytics_readonly";
    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(15);
    /** Bars in a categories chart. */
    public static final int TOP = 20;

    private final DataSource dataSource;
    private final LoggedSql sql;
    private final Clock clock;
    private final AutoCloseable resource;
    private final CommandLog log;
    private final String target;

    /** Queries over {@code dataSource}, which the caller keeps (and closes). */
    public ChartQueries(DataSource dataSource, CommandLog log, String target, Clock clock) {
        this(dataSource, log, target, clock, null);
    }

    private ChartQueries(DataSource dataSource, CommandLog log, String target, Clock clock, AutoCloseable resource) {
        this.dataSource = dataSource;
        this.sql = new LoggedSql(dataSource, log, target);
        this.clock = clock;
        this.resource = resource;
        this.log = log;
        this.target = target;
    }

    /** An analyst's own SQL, to run once on this read-only pool (and cancel on the server from another thread). */
    public AdHocQuery adHoc(String text) {
        return new AdHocQuery(dataSource, log, target, text, STATEMENT_TIMEOUT);
    }

    /** A read-only pool to {@code analytics} on {@code host:port} as {@code analytics_readonly}; close it when done. */
    public static ChartQueries open(String host, int port, String password, CommandLog log, String target) {
        InstancePool pool = InstancePool.open("charts", host, port, "analytics", READONLY_ROLE, true,
                STATEMENT_TIMEOUT, password, AdHocQuery.MAX_BYTES);
        return new ChartQueries(pool.dataSource(), log, target, Clock.systemUTC(), pool);
    }

    /** The connections the charts use (what a test tries to write through). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Today as the marts count days (UTC). */
    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** The chart for the range, and the previous period's when {@code compare}. */
    public ChartData load(Chart chart, DateRange range, Interval interval, boolean compare) throws SQLException {
        long started = System.nanoTime();
        ChartSeries current = series(chart, range, interval);
        ChartSeries previous = null;
        if (compare) {
            previous = chart.timeSeries()
                    ? series(chart, range.previous(), interval)
                    : alignedCategories(current, series(chart, range.previous(), interval, null));
        }
        return new ChartData(chart, range, interval, current, previous, Duration.ofNanos(System.nanoTime() - started));
    }

    public ChartSeries series(Chart chart, DateRange range, Interval interval) throws SQLException {
        return series(chart, range, interval, TOP);
    }

    private ChartSeries series(Chart chart, DateRange range, Interval interval, Integer limit) throws SQLException {
        String unit = interval.sqlName();
        Object from = range.from();
        Object to = range.to();
        return switch (chart) {
            case DAU -> interval == Interval.DAY
                    ? buckets(chart, range, interval, sql.query(
                            "SELECT day, active_users FROM web_analytics.mart_daily_active_users"
                                    + " WHERE day BETWEEN ? AND ? ORDER BY day", ChartQueries::dayValue, from, to))
                    : buckets(chart, range, interval, periodUsers(range, interval));
            case WAU, MAU -> buckets(chart, range, interval, sql.query(
                    // A rolling count at interval week or month: its value on the bucket's last day in the range.
                    // Days after the last day with activity (today before its first event) are kept ahead (V7);
                    // those up to today count, so the open bucket ends on today's value, not yesterday's.
                    "SELECT date_trunc(?, day::timestamp)::date AS bucket, (array_agg("
                            + (chart == Chart.WAU ? "wau" : "mau") + " ORDER BY day DESC))[1]"
                            + " FROM (SELECT day, wau, mau FROM web_analytics.mart_active_users"
                            + " UNION ALL SELECT day, wau, mau FROM web_analytics.mart_active_users_ahead"
                            + " WHERE day <= (now() AT TIME ZONE 'UTC')::date) a WHERE day BETWEEN ? AND ?"
                            + " GROUP BY bucket ORDER BY bucket", ChartQueries::dayValue, unit, from, to));
            case EVENTS, SESSIONS, PAGEVIEWS -> buckets(chart, range, interval, sql.query(
                    "SELECT date_trunc(?, date::timestamp)::date AS bucket, sum("
                            + switch (chart) {
                                case EVENTS -> "total_events";
                                case SESSIONS -> "sessions";
                                default -> "page_views";
                            }
                            + ") FROM web_analytics.daily_summary WHERE date BETWEEN ? AND ?"
                            + " GROUP BY bucket ORDER BY bucket", ChartQueries::dayValue, unit, from, to));
            case TOP_PAGES -> categories(chart, range, sql.query(
                    "SELECT page, sum(page_views) AS views FROM web_analytics.mart_page_views_daily"
                            + " WHERE day BETWEEN ? AND ? GROUP BY page ORDER BY views DESC, page"
                            + (limit == null ? "" : " LIMIT " + limit), ChartQueries::categoryValue, from, to));
            case EVENTS_BY_NAME -> categories(chart, range, sql.query(
                    "SELECT event_name, sum(events) AS n FROM web_analytics.mart_events_daily"
                            + " WHERE day BETWEEN ? AND ? GROUP BY event_name ORDER BY n DESC, event_name"
                            + (limit == null ? "" : " LIMIT " + limit), ChartQueries::categoryValue, from, to));
        };
    }

    /**
     * Distinct users per week or month (V6): whole buckets inside the range from {@code mart_period_active_users}; a
     * first bucket the range's start cuts, its users last active in it on or after the start; a last bucket the end
     * cuts, its users first active in it on or before the end ({@code mart_period_users}); a range inside one bucket
     * that it cuts, from {@code mart_daily_users}.
     */
    private List<Map.Entry<Object, Double>> periodUsers(DateRange range, Interval interval) throws SQLException {
        String unit = interval.sqlName();
        LocalDate start = bucketStart(range.from(), interval);
        LocalDate firstWhole = start.equals(range.from()) ? start : nextBucket(start, interval);
        LocalDate wholeEnd = bucketStart(range.to().plusDays(1), interval); // exclusive
        if (firstWhole.isAfter(wholeEnd)) {
            return sql.query("SELECT ?::date, count(DISTINCT user_id)::float8 FROM web_analytics.mart_daily_users"
                    + " WHERE day BETWEEN ? AND ? HAVING count(*) > 0", ChartQueries::dayValue,
                    start, range.from(), range.to());
        }
        StringBuilder text = new StringBuilder("SELECT bucket, active_users::float8 AS v"
                + " FROM web_analytics.mart_period_active_users WHERE period = ? AND bucket >= ? AND bucket < ?");
        List<Object> params = new ArrayList<>(List.of(unit, firstWhole, wholeEnd));
        if (!start.equals(firstWhole)) {
            text.append(" UNION ALL SELECT ?::date, count(*)::float8 FROM web_analytics.mart_period_users"
                    + " WHERE period = ? AND bucket = ? AND last_day >= ? HAVING count(*) > 0");
            params.addAll(List.of(start, unit, start, range.from()));
        }
        if (wholeEnd.isBefore(range.to().plusDays(1))) {
            text.append(" UNION ALL SELECT ?::date, count(*)::float8 FROM web_analytics.mart_period_users"
                    + " WHERE period = ? AND bucket = ? AND first_day <= ? HAVING count(*) > 0");
            params.addAll(List.of(wholeEnd, unit, wholeEnd, range.to()));
        }
        text.append(" ORDER BY 1");
        return sql.query(text.toString(), ChartQueries::dayValue, params.toArray());
    }

    static LocalDate bucketStart(LocalDate day, Interval interval) {
        return switch (interval) {
            case DAY -> day;
            case WEEK -> day.with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    static LocalDate nextBucket(LocalDate bucket, Interval interval) {
        return switch (interval) {
            case DAY -> bucket.plusDays(1);
            case WEEK -> bucket.plusWeeks(1);
            case MONTH -> bucket.plusMonths(1);
        };
    }

    /** Every bucket of the range, 0 where the marts have no row; buckets not over by today marked incomplete. */
    private ChartSeries buckets(Chart chart, DateRange range, Interval interval, List<Map.Entry<Object, Double>> rows) {
        Map<Object, Double> values = new LinkedHashMap<>();
        rows.forEach(row -> values.put(row.getKey(), row.getValue()));
        LocalDate today = today();
        List<ChartPoint> points = new ArrayList<>();
        for (LocalDate start = interval.bucketStart(range.from()); !start.isAfter(range.to());
             start = interval.bucketEnd(start)) {
            boolean incomplete = interval.bucketEnd(start).isAfter(today);
            points.add(ChartPoint.at(start, values.getOrDefault(start, 0.0), incomplete));
        }
        return new ChartSeries(chart.title(), points);
    }

    private ChartSeries categories(Chart chart, DateRange range, List<Map.Entry<Object, Double>> rows) {
        boolean incomplete = !range.to().isBefore(today());
        List<ChartPoint> points = rows.stream()
                .map(row -> ChartPoint.of((String) row.getKey(), row.getValue(), incomplete)).toList();
        return new ChartSeries(chart.title(), points);
    }

    /** The previous period's values of the current categories (0 for those it did not have). */
    private static ChartSeries alignedCategories(ChartSeries current, ChartSeries previous) {
        Map<String, Double> before = new LinkedHashMap<>();
        previous.points().forEach(p -> before.put(p.category(), p.value()));
        return new ChartSeries(previous.label(), current.points().stream()
                .map(p -> ChartPoint.of(p.category(), before.getOrDefault(p.category(), 0.0), false)).toList());
    }

    private static Map.Entry<Object, Double> dayValue(java.sql.ResultSet row) throws SQLException {
        return Map.entry(row.getObject(1, LocalDate.class), row.getDouble(2));
    }

    private static Map.Entry<Object, Double> categoryValue(java.sql.ResultSet row) throws SQLException {
        return Map.entry(row.getString(1), row.getDouble(2));
    }

    @Override
    public void close() throws Exception {
        if (resource != null) {
            resource.close();
        }
    }
}
