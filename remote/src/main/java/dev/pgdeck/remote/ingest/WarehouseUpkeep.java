package dev.pgdeck.remote.ingest;

import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** After the events are in: the marts of the touched days, the data-quality checks, VACUUM ANALYZE. */
final class WarehouseUpkeep {
    /** Every table a run writes: the raw events and each mart refresh_marts touches. */
    private static final List<String> VACUUMED = List.of("web_analytics.posthog_events", "web_analytics.daily_summary",
            "web_analytics.mart_daily_active_users", "web_analytics.mart_page_views_daily",
            "web_analytics.mart_events_daily", "web_analytics.mart_daily_users", "web_analytics.mart_active_users",
            "web_analytics.mart_active_users_ahead", "web_analytics.mart_period_users",
            "web_analytics.mart_period_active_users", "ingest.runs", "ingest.watermarks");

    private final Connection connection;

    WarehouseUpkeep(Connection connection) {
        this.connection = connection;
    }

    /** The touched days plus the {@code lookbackDays} before the latest of them. */
    static Set<LocalDate> daysToRefresh(Set<LocalDate> touched, int lookbackDays) {
        TreeSet<LocalDate> days = new TreeSet<>(touched);
        if (!days.isEmpty()) {
            LocalDate last = days.last();
            for (int i = 1; i <= lookbackDays; i++) {
                days.add(last.minusDays(i));
            }
        }
        return days;
    }

    int refreshMarts(Set<LocalDate> days) throws SQLException {
        if (days.isEmpty()) {
            return 0;
        }
        Array array = connection.createArrayOf("date", days.stream().map(Date::valueOf).toArray());
        try (PreparedStatement s = connection.prepareStatement("SELECT web_analytics.refresh_marts(?)")) {
            s.setArray(1, array);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** One pass over the touched days' events; results recorded for the run and returned. */
    List<QualityCheck> check(long runId, Set<LocalDate> days) throws SQLException {
        if (days.isEmpty()) {
            return List.of();
        }
        LocalDate first = Collections.min(days);
        LocalDate last = Collections.max(days);
        String sql = "SELECT count(*) - count(DISTINCT event_id),"
                + " count(*) FILTER (WHERE event_id = '' OR event_name = '' OR properties IS NULL"
                + "   OR jsonb_typeof(properties) <> 'object'),"
                + " count(*) FILTER (WHERE timestamp < '2000-01-01' OR timestamp > now() + interval '1 day'),"
                + " count(*) FILTER (WHERE event_name = '$pageview' AND coalesce(properties ->> '$current_url', '') = '')"
                + " FROM web_analytics.posthog_events WHERE timestamp >= ? AND timestamp < ?";
        List<QualityCheck> checks = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setTimestamp(1, Timestamp.from(first.atStartOfDay().toInstant(ZoneOffset.UTC)));
            s.setTimestamp(2, Timestamp.from(last.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                String range = first + " .. " + last;
                checks.add(result("unique_event_ids", rs.getLong(1), "duplicate event ids, " + range));
                checks.add(result("required_fields_present", rs.getLong(2),
                        "events with an empty id or name or non-object properties, " + range));
                checks.add(result("timestamps_in_range", rs.getLong(3),
                        "events before 2000 or more than a day in the future, " + range));
                checks.add(result("pageviews_have_current_url", rs.getLong(4),
                        "$pageview events without $current_url, " + range));
            }
        }
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO ingest.quality_checks"
                + " (run_id, check_name, passed, failing_rows, detail) VALUES (?, ?, ?, ?, ?)")) {
            for (QualityCheck c : checks) {
                s.setLong(1, runId);
                s.setString(2, c.name());
                s.setBoolean(3, c.passed());
                s.setLong(4, c.failingRows());
                s.setString(5, c.detail());
                s.addBatch();
            }
            s.executeBatch();
        }
        return checks;
    }

    /** Outside any transaction (VACUUM refuses to run in one); the caller is in autocommit. */
    void vacuumAnalyze(boolean rejects) throws SQLException {
        List<String> tables = new ArrayList<>(VACUUMED);
        if (rejects) {
            tables.add("ingest.rejects");
        }
        try (Statement s = connection.createStatement()) {
            s.execute("VACUUM (ANALYZE) " + String.join(", ", tables));
        }
    }

    private static QualityCheck result(String name, long failing, String detail) {
        return new QualityCheck(name, failing == 0, failing, failing + " " + detail);
    }
}
