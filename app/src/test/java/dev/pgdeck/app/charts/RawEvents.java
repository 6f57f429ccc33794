package dev.pgdeck.app.charts;

import dev.pgdeck.remote.charts.Chart;
import dev.pgdeck.remote.charts.DateRange;
import dev.pgdeck.remote.charts.Interval;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The charts' questions asked of the raw table {@code web_analytics.posthog_events} (no marts, no staging views):
 * what the tests compare the charts with. UTC days; users are user_id, else properties' distinct_id.
 */
final class RawEvents {
    private static final String USER = "coalesce(user_id, properties ->> 'distinct_id')";
    private static final String DAY = "(timestamp AT TIME ZONE 'UTC')::date";
    private static final String IN_RANGE = "timestamp >= (?::date)::timestamp AT TIME ZONE 'UTC'"
            + " AND timestamp < (?::date + 1)::timestamp AT TIME ZONE 'UTC'";

    private final DataSource dataSource;

    RawEvents(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Bucket start (or category) -> value, for the points of {@code chart}. */
    Map<String, Double> values(Chart chart, DateRange range, Interval interval) throws SQLException {
        String bucket = "date_trunc('" + interval.sqlName() + "', " + DAY + "::timestamp)::date";
        String sql = switch (chart) {
            case DAU -> "SELECT " + bucket + " AS k, count(DISTINCT " + USER + ") FROM web_analytics.posthog_events"
                    + " WHERE " + IN_RANGE + " GROUP BY k";
            case EVENTS -> "SELECT " + bucket + " AS k, count(*) FROM web_analytics.posthog_events WHERE " + IN_RANGE
                    + " GROUP BY k";
            case PAGEVIEWS -> "SELECT " + bucket + " AS k, count(*) FROM web_analytics.posthog_events WHERE " + IN_RANGE
                    + " AND event_name = '$pageview' GROUP BY k";
            // Sessions per day (a session counts on each day it has events), summed over the interval.
            case SESSIONS -> "SELECT date_trunc('" + interval.sqlName() + "', d::timestamp)::date AS k, sum(n) FROM ("
                    + "SELECT " + DAY + " AS d, count(DISTINCT coalesce(session_id, properties ->> '$session_id')) AS n"
                    + " FROM web_analytics.posthog_events WHERE " + IN_RANGE + " GROUP BY d) s GROUP BY k";
            // Rolling windows at their bucket's last day in the range: distinct users of the window's days.
            case WAU, MAU -> "SELECT date_trunc('" + interval.sqlName() + "', d::timestamp)::date AS k,"
                    + " (array_agg(n ORDER BY d DESC))[1] FROM ("
                    + "SELECT g::date AS d, (SELECT count(DISTINCT " + USER + ") FROM web_analytics.posthog_events"
                    + " WHERE timestamp >= ((g::date - " + (chart == Chart.WAU ? 6 : 29) + ")::timestamp AT TIME ZONE 'UTC')"
                    + " AND timestamp < ((g::date + 1)::timestamp AT TIME ZONE 'UTC')) AS n"
                    + " FROM generate_series(?::date, ?::date, interval '1 day') g) w"
                    + " WHERE n > 0 GROUP BY k";
            case TOP_PAGES -> "SELECT split_part(split_part(properties ->> '$current_url', '#', 1), '?', 1) AS k,"
                    + " count(*) FROM web_analytics.posthog_events WHERE " + IN_RANGE
                    + " AND event_name = '$pageview' GROUP BY k";
            case EVENTS_BY_NAME -> "SELECT event_name AS k, count(*) FROM web_analytics.posthog_events WHERE "
                    + IN_RANGE + " GROUP BY k";
        };
        Map<String, Double> values = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, range.from());
            s.setObject(2, range.to());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Object key = rs.getObject(1);
                    values.put(key instanceof java.sql.Date d ? d.toLocalDate().toString() : String.valueOf(key),
                            rs.getDouble(2));
                }
            }
        }
        return values;
    }

    double scalar(String sql, LocalDate from, LocalDate to) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, from);
            s.setObject(2, to);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    static String inRange() {
        return IN_RANGE;
    }
}
