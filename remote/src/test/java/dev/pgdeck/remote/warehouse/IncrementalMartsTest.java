package dev.pgdeck.remote.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgdeck.remote.testing.PostgresServerExtension;
import dev.pgdeck.remote.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The distinct-user marts (rolling DAU/WAU/MAU, the days kept ahead, week and month users) after incremental refreshes
 * equal the same figures counted from the raw events, through the cases an hourly ingestion meets: more events on the
 * last day, a new day, a day after a gap longer than a month, late events for an old day, and a deleted event (which
 * takes the full path).
 */
class IncrementalMartsTest {
    @RegisterExtension
    static PostgresServerExtension pg = new PostgresServerExtension();

    private static final LocalDate D0 = LocalDate.of(2025, 1, 1);

    DataSource ds;
    Connection c;
    final Random random = new Random(20261123);
    int nextEvent;

    @BeforeEach
    void setUp() throws Exception {
        ds = TestDatabases.dataSource(pg, TestDatabases.create(pg, "marts"), "postgres");
        new WarehouseMigrations(ds).migrate();
        c = ds.getConnection();
    }

    @Test
    void incrementalRefreshesEqualCountsFromTheRawEvents() throws Exception {
        refresh(addEvents(0, 40, 400, 30));
        assertMartsMatchTheRawEvents("after the first, full refresh");

        Set<LocalDate> lastDay = addEvents(39, 39, 20, 40);
        String untouched = "SELECT xmin::text FROM web_analytics.mart_period_users WHERE period = 'month'"
                + " AND bucket = '2025-02-01' AND user_id NOT IN (SELECT user_id FROM web_analytics.stg_events"
                + " WHERE event_day >= '2025-02-07' AND user_id IS NOT NULL) ORDER BY user_id LIMIT 1";
        List<String> before = rows(untouched);
        refresh(withLookback(lastDay));
        assertMartsMatchTheRawEvents("more events on the last day");
        assertEquals(1, before.size());
        assertEquals(before, rows(untouched), "the month bucket was updated in place, not rebuilt");

        String lookbackDays = "SELECT date || ' ' || updated_at FROM web_analytics.daily_summary"
                + " WHERE date IN ('2025-02-08', '2025-02-09') ORDER BY date";
        List<String> untouchedDays = rows(lookbackDays);
        refresh(withLookback(addEvents(40, 40, 15, 40)));
        assertMartsMatchTheRawEvents("a new day");
        assertEquals(untouchedDays, rows(lookbackDays), "lookback days without new events are left alone");

        refresh(withLookback(addEvents(52, 52, 10, 45)));
        assertMartsMatchTheRawEvents("a new day after a 12-day gap");

        refresh(withLookback(addEvents(20, 21, 25, 50)));
        assertMartsMatchTheRawEvents("late events for old days");

        refresh(withLookback(addEvents(95, 95, 8, 60)));
        assertMartsMatchTheRawEvents("a new day after more than a month without activity");

        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM web_analytics.posthog_events WHERE event_id IN (SELECT event_id FROM"
                    + " web_analytics.stg_events WHERE event_day = '2025-01-11' ORDER BY event_id LIMIT 5)");
        }
        refresh(withLookback(Set.of(D0.plusDays(10))));
        assertMartsMatchTheRawEvents("events deleted from an old day (the full path)");

        refresh(withLookback(addEvents(95, 96, 30, 70)));
        assertMartsMatchTheRawEvents("the next hour after the full path");
    }

    /** Events on days from..to (offsets from D0) by users drawn from user-0..user-(users-1). */
    private Set<LocalDate> addEvents(int from, int to, int count, int users) throws SQLException {
        Set<LocalDate> days = new TreeSet<>();
        StringBuilder sql = new StringBuilder("INSERT INTO web_analytics.posthog_events"
                + " (event_id, event_name, properties, timestamp, user_id, session_id) VALUES ");
        for (int i = 0; i < count; i++) {
            LocalDate day = D0.plusDays(from + random.nextInt(to - from + 1));
            days.add(day);
            int user = random.nextInt(users);
            sql.append(i == 0 ? "" : ", ").append("('e-").append(nextEvent++).append("', '$pageview',")
                    .append(" '{\"$current_url\": \"https://x.example/\"}', '").append(day).append("T")
                    .append(String.format("%02d:%02d:00Z", random.nextInt(24), random.nextInt(60)))
                    .append("', ").append(user % 11 == 10 ? "NULL" : "'user-" + user + "'").append(", 's-")
                    .append(user).append("')");
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql.toString());
        }
        return days;
    }

    /** What an ingestion run refreshes: the touched days and the two before the latest. */
    private static Set<LocalDate> withLookback(Set<LocalDate> touched) {
        TreeSet<LocalDate> days = new TreeSet<>(touched);
        days.add(days.last().minusDays(1));
        days.add(days.last().minusDays(2));
        return days;
    }

    private void refresh(Set<LocalDate> days) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT web_analytics.refresh_marts(ARRAY['" + String.join("', '",
                    days.stream().map(LocalDate::toString).toList()) + "']::date[])");
        }
    }

    private void assertMartsMatchTheRawEvents(String when) throws SQLException {
        String truth = "WITH users AS (SELECT DISTINCT event_day AS day, user_id FROM web_analytics.stg_events"
                + " WHERE user_id IS NOT NULL), bounds AS (SELECT min(day) lo, max(day) hi FROM users)"
                + " SELECT g::date AS day,"
                + " (SELECT count(*) FROM users u WHERE u.day = g::date) AS dau,"
                + " (SELECT count(DISTINCT user_id) FROM users u WHERE u.day BETWEEN g::date - 6 AND g::date) AS wau,"
                + " (SELECT count(DISTINCT user_id) FROM users u WHERE u.day BETWEEN g::date - 29 AND g::date) AS mau"
                + " FROM bounds, generate_series(lo, hi + 29, interval '1 day') g";
        assertEquals(rows(truth + " ORDER BY 1"),
                rows("SELECT day, dau, wau, mau FROM web_analytics.mart_active_users UNION ALL"
                        + " SELECT day, NULL, wau, mau FROM web_analytics.mart_active_users_ahead ORDER BY 1")
                        .stream().map(r -> r.replace("|null|", "|0|")).toList(),
                "rolling counts, " + when);
        assertEquals(rows("SELECT p, date_trunc(p, event_day::timestamp)::date, user_id, min(event_day), max(event_day)"
                        + " FROM web_analytics.stg_events, unnest(ARRAY['week', 'month']) p WHERE user_id IS NOT NULL"
                        + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"),
                rows("SELECT period, bucket, user_id, first_day, last_day FROM web_analytics.mart_period_users"
                        + " ORDER BY 1, 2, 3"),
                "week and month users, " + when);
        assertEquals(rows("SELECT period, bucket, count(*) FROM web_analytics.mart_period_users GROUP BY 1, 2"
                        + " ORDER BY 1, 2"),
                rows("SELECT period, bucket, active_users FROM web_analytics.mart_period_active_users ORDER BY 1, 2"),
                "week and month counts, " + when);
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append('|').append(rs.getString(i));
                }
                out.add(row.append('|').toString());
            }
        }
        return out;
    }
}
