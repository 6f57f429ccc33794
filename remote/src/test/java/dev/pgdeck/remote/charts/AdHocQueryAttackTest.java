package dev.pgdeck.remote.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.pg.InstancePool;
import dev.pgdeck.remote.testing.PostgresServerExtension;
import dev.pgdeck.remote.testing.TestDatabases;
import dev.pgdeck.remote.warehouse.WarehouseMigrations;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SQL editor's runs attacked as issue 13 found them: through {@code analytics_readonly} on a real PostgreSQL with
 * the warehouse migrations applied, over the charts' own pool ({@link ChartQueries#open}). After every test the role
 * is as it was (password, settings), no large object exists, the events are all there and no backend of the role is
 * left running.
 */
class AdHocQueryAttackTest {
    @RegisterExtension
    static PostgresServerExtension pg = new PostgresServerExtension();

    private static final CommandLog LOG = new CommandLog();
    /** The role as an attack would change it: its password, its settings (ALTER ROLE ... SET), its limits. */
    private static final String ROLE = "SELECT a.rolpassword, a.rolconnlimit, a.rolcanlogin,"
            + " (SELECT string_agg(s.setdatabase || ':' || s.setconfig::text, ',' ORDER BY s.setdatabase)"
            + " FROM pg_db_role_setting s WHERE s.setrole = a.oid) FROM pg_authid a"
            + " WHERE a.rolname = 'analytics_readonly'";
    private static DataSource admin;
    private static ChartQueries queries;
    private static List<Object> roleBefore;
    private static long eventsBefore;

    @BeforeAll
    static void warehouse() throws Exception {
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE analytics");
        }
        admin = TestDatabases.dataSource(pg, "analytics", "postgres");
        new WarehouseMigrations(admin).migrate();
        execute("ALTER ROLE analytics_readonly LOGIN PASSWORD 'the-real-one'");
        execute("ALTER ROLE analytics_writer LOGIN");
        // A function that writes, as a query can call one: the writer may run its DELETE, the editor may not.
        execute("CREATE FUNCTION public.wipe() RETURNS bigint LANGUAGE sql AS"
                + " 'WITH d AS (DELETE FROM web_analytics.posthog_events RETURNING 1) SELECT count(*) FROM d'");
        execute("INSERT INTO web_analytics.posthog_events (event_id, event_name, timestamp)"
                + " SELECT 'e' || g, '$pageview', now() FROM generate_series(1, 100) g");
        // Trust authentication on the test server: the password is only there to be compared afterwards.
        queries = ChartQueries.open("127.0.0.1", pg.port(), null, LOG, "analytics (test)");
        roleBefore = row(ROLE);
        eventsBefore = count("SELECT count(*) FROM web_analytics.posthog_events");
    }

    @AfterAll
    static void close() throws Exception {
        if (queries != null) {
            queries.close();
        }
    }

    @BeforeEach
    @AfterEach
    void nothingChangedAndNothingLeftRunning() throws Exception {
        assertEquals(roleBefore, row(ROLE), "the role changed");
        assertEquals(0L, count("SELECT count(*) FROM pg_largeobject_metadata"), "a large object exists");
        assertEquals(eventsBefore, count("SELECT count(*) FROM web_analytics.posthog_events"));
        assertEquals(0L, count("SELECT count(*) FROM pg_class WHERE relname = 'sneaky'"));
        awaitNoBackendLeft();
    }

    @Test
    void whatIsNotOneQueryIsRefusedBeforeItReachesTheServer() {
        AtomicInteger connections = new AtomicInteger();
        DataSource counting = counting(queries.dataSource(), connections);
        for (String[] attack : new String[][] {
            {"BEGIN READ WRITE; ALTER ROLE analytics_readonly PASSWORD 'x'", "Refused: BEGIN is not a query"},
            {"SET default_transaction_read_only = off; ALTER ROLE analytics_readonly PASSWORD 'x'",
                "Refused: SET is not a query"},
            {"ALTER ROLE analytics_readonly SET work_mem = '1GB'", "Refused: ALTER is not a query"},
            {"SET statement_timeout = 0; SELECT pg_sleep(20)", "Refused: SET is not a query"},
            {"SELECT 1; COMMIT; BEGIN READ WRITE; ALTER ROLE analytics_readonly PASSWORD 'x'",
                "Refused: more than one statement (the second, COMMIT, starts at line 1, column 11)"},
            {"SELECT '\\'; ALTER ROLE analytics_readonly PASSWORD 'x'", "Refused: more than one statement"},
            {"SELECT $$ $$; ALTER ROLE analytics_readonly SET work_mem = '1GB'", "Refused: more than one statement"},
            {"EXPLAIN ANALYZE SELECT lo_create(0)", "Refused: EXPLAIN ANALYZE runs the statement"},
            {"COPY (SELECT 1) TO PROGRAM 'id'", "Refused: COPY is not a query"},
            {"DO $$ BEGIN PERFORM lo_create(0); END $$", "Refused: DO is not a query"},
            {"SELECT lo_create(0)\u0000; ALTER ROLE analytics_readonly PASSWORD 'x'", "Refused: a control character"},
        }) {
            AdHocQuery query = new AdHocQuery(counting, LOG, "t", attack[0], Duration.ofSeconds(5));
            RefusedQueryException e = assertThrows(RefusedQueryException.class, query::run, attack[0]);
            assertTrue(e.getMessage().startsWith(attack[1]), attack[0] + " -> " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertEquals(e.getMessage(), AdHocQuery.describe(e));
            assertEquals(e.getMessage(), LOG.entries().get(LOG.entries().size() - 1).outcome());
        }
        assertEquals(0, connections.get(), "a refused text took a connection");
    }

    @Test
    void oneQueryThatTriesToWriteFailsInsideTheReadOnlyTransaction() {
        for (String[] attack : new String[][] {
            {"SELECT set_config('transaction_read_only', 'off', false)", "25001"},
            {"WITH x AS (UPDATE web_analytics.daily_summary SET total_events = 0 RETURNING 1) SELECT count(*) FROM x",
                "0A000"},
            {"SELECT * INTO web_analytics.sneaky FROM web_analytics.daily_summary", "42601"},
            {"SELECT nextval('ingest.runs_id_seq')", null},
        }) {
            SQLException e = assertThrows(SQLException.class, () -> run(attack[0], Duration.ofSeconds(10)), attack[0]);
            assertFalse(e instanceof RefusedQueryException, attack[0]);
            if (attack[1] != null) {
                assertEquals(attack[1], e.getSQLState(), attack[0] + ": " + e.getMessage());
            }
        }
    }

    /**
     * PostgreSQL lets lo_create run in a read-only transaction. V8 closes it to analytics_readonly; for a role that
     * may call it (here a superuser), the run's rollback takes the object back.
     */
    @Test
    void aLargeObjectCreatedByAQueryDoesNotOutliveTheRun() throws Exception {
        SQLException denied = assertThrows(SQLException.class, () -> run("select lo_create(0)", Duration.ofSeconds(10)));
        assertEquals("42501", denied.getSQLState(), denied.getMessage());
        AdHocResult created = new AdHocQuery(admin, LOG, "t", "select lo_create(0)", Duration.ofSeconds(10)).run();
        assertEquals(1, created.rows().size());
        assertEquals(0L, count("SELECT count(*) FROM pg_largeobject_metadata"));
    }

    /** Not even a role that may write can write through the editor: the construction holds, not the grants. */
    @Test
    void aRoleThatMayWriteCannotWriteThroughTheEditorEither() throws Exception {
        try (InstancePool writer = InstancePool.open("writer", "127.0.0.1", pg.port(), "analytics",
                "analytics_writer", false, null, null, AdHocQuery.MAX_BYTES)) {
            for (String attack : List.of(
                    "WITH gone AS (DELETE FROM web_analytics.posthog_events RETURNING 1) SELECT count(*) FROM gone",
                        "SELECT set_config('default_transaction_read_only', 'off', false) UNION ALL SELECT wipe()::text",
                    "SELECT wipe()")) {
                AdHocQuery query = new AdHocQuery(writer.dataSource(), LOG, "t", attack, Duration.ofSeconds(10));
                assertThrows(SQLException.class, query::run, attack);
            }
            AdHocQuery read = new AdHocQuery(writer.dataSource(), LOG, "t",
                    "SELECT current_setting('transaction_read_only') AS ro", Duration.ofSeconds(10));
            assertEquals(List.of(List.of("on")), read.run().rows());
        }
    }

    @Test
    void theTimeoutIsPgdecksAndTheTextCannotLiftIt() {
        for (String sleeper : List.of(
                "SELECT pg_sleep(20)",
                // The first FETCH lifts the session's timeout; the second would sleep without one.
                "SELECT set_config('statement_timeout', '0', false) AS lifted UNION ALL SELECT pg_sleep(20)::text",
                "EXPLAIN SELECT pg_sleep(20)")) {
            long started = System.nanoTime();
            try {
                run(sleeper, Duration.ofSeconds(2));
                assertTrue(sleeper.startsWith("EXPLAIN"), sleeper + " ran to the end");
            } catch (SQLException e) {
                assertEquals("57014", e.getSQLState(), sleeper + ": " + e.getMessage());
                assertTrue(AdHocQuery.describe(e).startsWith("Timed out"), AdHocQuery.describe(e));
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis < 6_000, sleeper + " took " + millis + " ms");
        }
    }

    @Test
    void aCancelledRunIsCancelledOnTheServerAndLeavesNothingRunning() throws Exception {
        AdHocQuery query = queries.adHoc("SELECT pg_sleep(60) AS cancel_me");
        CompletableFuture<AdHocResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return query.run();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        // The server runs the query as FETCHes from pgdeck's cursor: that is what pg_stat_activity shows.
        String running = "SELECT count(*) FROM pg_stat_activity WHERE usename = 'analytics_readonly'"
                + " AND state = 'active' AND query LIKE 'FETCH % FROM pgdeck_adhoc'";
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count(running) == 0) {
            assertTrue(System.nanoTime() < until, "the query never started");
            Thread.sleep(50);
        }
        long cancelled = System.nanoTime();
        query.cancel();
        Throwable end = assertThrows(Exception.class, () -> run.get(10, TimeUnit.SECONDS));
        assertTrue(end.getCause() instanceof CancellationException, String.valueOf(end.getCause()));
        assertTrue((System.nanoTime() - cancelled) / 1_000_000 < 5_000);
        assertEquals(0L, count(running), "the server still runs the query");
        awaitNoBackendLeft();
        assertEquals("cancelled", LOG.entries().get(LOG.entries().size() - 1).outcome());
    }

    @Test
    void eightThousandRowsOfOneMegabyteStayBounded() throws Exception {
        Runtime runtime = Runtime.getRuntime();
        long started = System.nanoTime();
        AdHocResult result = queries.adHoc("select repeat('x', 1000000) from generate_series(1,8000)").run();
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(AdHocResult.Limit.BYTES, result.limit());
        assertTrue(result.rows().size() >= 32 && result.rows().size() <= AdHocQuery.MAX_BYTES / 1_000_000, result.rows().size() + " rows");
        assertTrue(result.rowsInWords().startsWith("the first ") && result.rowsInWords().endsWith("(the 64 MB limit)"),
                result.rowsInWords());
        assertTrue(millis < 30_000, millis + " ms");
        assertTrue(runtime.totalMemory() - runtime.freeMemory() < 1L << 30);
        // One row larger than the whole limit: refused by the driver before it is held, as the byte limit.
        AdHocResult huge = queries.adHoc("select repeat('y', 100000000) AS huge").run();
        assertEquals(AdHocResult.Limit.BYTES, huge.limit());
        assertEquals(List.of(), huge.rows());
    }

    @Test
    void rowsAreLimitedAndSaidSo() throws Exception {
        AdHocResult result = queries.adHoc("SELECT g FROM generate_series(1, 25000) g").run();
        assertEquals(AdHocQuery.MAX_ROWS, result.rows().size());
        assertEquals(AdHocResult.Limit.ROWS, result.limit());
        assertEquals("the first 10,000 rows (the 10,000-row limit)", result.rowsInWords());
        assertEquals(10_000, ((Number) result.rows().get(9_999).get(0)).intValue());
        AdHocResult exact = queries.adHoc("SELECT g FROM generate_series(1, 10000) g").run();
        assertEquals(AdHocResult.Limit.NONE, exact.limit());
        assertEquals("10,000 rows", exact.rowsInWords());
    }

    @Test
    void queriesOfEveryAllowedKindRunAndTheirSettingsDoNotOutliveThem() throws Exception {
        assertEquals(List.of(List.of(1, "a;b")), queries.adHoc("-- note\nSELECT 1 AS n, 'a;b' AS s;").run().rows());
        assertEquals(2, queries.adHoc("VALUES (1), (2)").run().rows().size());
        assertEquals(List.of(List.of(100L)),
                queries.adHoc("WITH e AS (TABLE web_analytics.posthog_events) SELECT count(*) FROM e").run().rows());
        AdHocResult plan = queries.adHoc("EXPLAIN (COSTS OFF) SELECT * FROM web_analytics.daily_summary").run();
        assertEquals(List.of("QUERY PLAN"), plan.columns());
        assertTrue(String.valueOf(plan.rows().get(0).get(0)).contains("Scan"), plan.rows().toString());
        queries.adHoc("SELECT set_config('work_mem', '1GB', false)").run();
        assertEquals(List.of(List.of("4MB", "on", "analytics_readonly")), queries.adHoc("SELECT"
                + " current_setting('work_mem'), current_setting('transaction_read_only'), current_user").run().rows());
    }

    private static AdHocResult run(String text, Duration timeout) throws SQLException {
        return new AdHocQuery(queries.dataSource(), LOG, "t", text, timeout).run();
    }

    /** The pool's connections are evicted after each run: within a few seconds no backend of the role remains. */
    private static void awaitNoBackendLeft() throws Exception {
        String left = "SELECT count(*) FROM pg_stat_activity WHERE usename = 'analytics_readonly'";
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count(left) > 0) {
            assertTrue(System.nanoTime() < until, "backends of analytics_readonly left: " + rows(
                    "SELECT state || ': ' || query FROM pg_stat_activity WHERE usename = 'analytics_readonly'"));
            Thread.sleep(50);
        }
    }

    private static DataSource counting(DataSource delegate, AtomicInteger connections) {
        return (DataSource) Proxy.newProxyInstance(AdHocQueryAttackTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        connections.incrementAndGet();
                    }
                    return method.invoke(delegate, args);
                });
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(String sql) throws SQLException {
        return ((Number) row(sql).get(0)).longValue();
    }

    private static List<Object> row(String sql) throws SQLException {
        try (Connection c = admin.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.add(rs.getObject(i));
            }
            return row;
        }
    }

    private static List<String> rows(String sql) throws SQLException {
        try (Connection c = admin.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }
}
