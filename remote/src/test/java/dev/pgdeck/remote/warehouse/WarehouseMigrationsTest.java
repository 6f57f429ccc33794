package dev.pgdeck.remote.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.remote.testing.PostgresServerExtension;
import dev.pgdeck.remote.testing.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WarehouseMigrationsTest {
    @RegisterExtension
    static PostgresServerExtension pg = new PostgresServerExtension();

    @Test
    void listedMigrationsAreExactlyTheFilesInOrder() throws IOException {
        Path dir = Path.of(System.getProperty("user.dir")).resolve("../src/main/resources/db/warehouse");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            assertEquals(names, WarehouseMigrations.FILES);
        }
    }

    @Test
    void migratesAnEmptyDatabaseOnceAndThenHasNothingToDo() throws Exception {
        DataSource ds = TestDatabases.dataSource(pg, TestDatabases.create(pg, "empty"), "postgres");
        WarehouseMigrations migrations = new WarehouseMigrations(ds);
        assertEquals(8, migrations.migrate());
        assertEquals("8", migrations.currentVersion());
        assertEquals(0, migrations.migrate());
        assertEquals(0L, count(ds, "SELECT count(*) FROM web_analytics.posthog_events"));
        assertEquals(0L, count(ds, "SELECT count(*) FROM ingest.runs"));
    }

    @Test
    void aMigrationChangedSinceItWasAppliedIsNamedAndNothingRuns() throws Exception {
        DataSource ds = TestDatabases.dataSource(pg, TestDatabases.create(pg, "changed"), "postgres");
        WarehouseMigrations migrations = new WarehouseMigrations(ds);
        migrations.migrate();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            // as if V7 had been applied by another build whose V7 text differed
            assertEquals(1, s.executeUpdate("UPDATE " + historyTable(c) + " SET checksum = checksum + 1 WHERE version = '7'"));
        }
        WarehouseException e = assertThrows(WarehouseException.class, migrations::migrate);
        assertTrue(e.getMessage().startsWith("Migrating the warehouse failed (a migration applied to this database"
                + " differs from this pgdeck's: it was migrated by another build; nothing was changed)"), e.getMessage());
        assertTrue(e.getMessage().contains("version 7"), e.getMessage());
    }

    private static String historyTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT n.nspname || '.' || t.relname"
                + " FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE t.relname = 'flyway_schema_history'")) {
            r.next();
            return r.getString(1);
        }
    }

    /** Seed 000's warehouse (as the sandbox built it before migrations) keeps its events and its BI queries work. */
    @Test
    void appliesOnTopOfASeed000WarehouseAndKeepsItsQueriesWorking() throws Exception {
        String db = TestDatabases.create(pg, "analytics");
        DataSource ds = TestDatabases.dataSource(pg, db, "postgres");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(resource("/dev/pgdeck/seed000/warehouse.sql").replace("DATABASE analytics", "DATABASE " + db));
            try (PreparedStatement p = c.prepareStatement(resource("/dev/pgdeck/sandbox/events.sql"))) {
                p.setLong(1, 1);
                p.setLong(2, 1);
                p.setInt(3, 2000);
                p.setInt(4, 80);
                p.executeUpdate();
            }
        }
        assertEquals(8, new WarehouseMigrations(ds).migrate());
        assertEquals(2000L, count(ds, "SELECT count(*) FROM web_analytics.posthog_events"));
        // The marts were filled from the events that were already there, and agree with the raw table.
        assertEquals(2000L, count(ds, "SELECT sum(total_events) FROM web_analytics.daily_summary"));
        assertEquals(2000L, count(ds, "SELECT sum(events) FROM web_analytics.mart_events_daily"));
        assertEquals(count(ds, "SELECT count(*) FROM web_analytics.posthog_events WHERE event_name = '$pageview'"),
                count(ds, "SELECT sum(page_views) FROM web_analytics.mart_page_views_daily"));
        assertEquals(0L, count(ds, "SELECT count(*) FROM (SELECT (timestamp AT TIME ZONE 'UTC')::date d,"
                + " count(DISTINCT user_id) n FROM web_analytics.posthog_events GROUP BY 1) r"
                + " JOIN web_analytics.mart_daily_active_users m ON m.day = r.d WHERE m.active_users <> r.n"));
        // Seed 000's Metabase queries.
        assertTrue(count(ds, "SELECT count(*) FROM (SELECT date_trunc('day', timestamp) as date, COUNT(DISTINCT user_id)"
                + " as daily_active_users FROM web_analytics.posthog_events WHERE timestamp > NOW() - INTERVAL '30 days'"
                + " GROUP BY date_trunc('day', timestamp) ORDER BY date) q") > 0);
        assertTrue(count(ds, "SELECT count(*) FROM (SELECT properties->>'$current_url' as page, COUNT(*) as page_views"
                + " FROM web_analytics.posthog_events WHERE event_name = '$pageview' AND timestamp > NOW() -"
                + " INTERVAL '7 days' GROUP BY properties->>'$current_url' ORDER BY page_views DESC LIMIT 10) q") > 0);
    }

    @Test
    void theReadonlyRoleCanReadButNotWrite() throws Exception {
        String db = TestDatabases.create(pg, "roles");
        DataSource admin = TestDatabases.dataSource(pg, db, "postgres");
        new WarehouseMigrations(admin).migrate();
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE analytics_readonly LOGIN");
            s.execute("ALTER ROLE analytics_writer LOGIN");
        }
        DataSource writer = TestDatabases.dataSource(pg, db, "analytics_writer");
        try (Connection c = writer.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO web_analytics.posthog_events (event_id, event_name, timestamp) VALUES ('w1', 'x', now())");
        }
        DataSource readonly = TestDatabases.dataSource(pg, db, "analytics_readonly");
        assertEquals(1L, count(readonly, "SELECT count(*) FROM web_analytics.posthog_events"));
        assertEquals(0L, count(readonly, "SELECT count(*) FROM web_analytics.mart_daily_active_users"));
        assertEquals(0L, count(readonly, "SELECT count(*) FROM ingest.runs"));
        for (String write : List.of(
                "INSERT INTO web_analytics.posthog_events (event_id, event_name, timestamp) VALUES ('r1', 'x', now())",
                "UPDATE web_analytics.posthog_events SET event_name = 'y'",
                "DELETE FROM web_analytics.daily_summary",
                "TRUNCATE web_analytics.mart_events_daily",
                "INSERT INTO ingest.watermarks (source, project_id, last_time) VALUES ('s', 'p', now())",
                "CREATE TABLE web_analytics.sneaky (x int)")) {
            SQLException e = assertThrows(SQLException.class, () -> {
                try (Connection c = readonly.getConnection(); Statement s = c.createStatement()) {
                    // Past the role's read-only default (V8), as any client may ask: the grants still say no.
                    s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
                    s.execute(write);
                }
            }, write);
            assertEquals("42501", e.getSQLState(), write + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
        }
    }

    /**
     * V8: the role starts every transaction read-only, has no TEMP and no CREATE anywhere, even when a client asks for
     * a read-write transaction, and at most 25 connections; the writer keeps its temporary tables.
     */
    @Test
    void theReadonlyRoleIsHardened() throws Exception {
        String db = TestDatabases.create(pg, "hardened");
        DataSource admin = TestDatabases.dataSource(pg, db, "postgres");
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            // What V8 must undo: CREATE for PUBLIC on public (PostgreSQL 14 and older had it by default), a schema
            // of the operator's that granted the role CREATE.
            s.execute("GRANT CREATE ON SCHEMA public TO PUBLIC");
            s.execute("CREATE SCHEMA scratch");
        }
        new WarehouseMigrations(admin).migrate();
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE analytics_readonly LOGIN");
            s.execute("ALTER ROLE analytics_writer LOGIN");
        }
        assertEquals(0L, count(admin, "SELECT count(*) FROM pg_namespace n WHERE"
                + " has_schema_privilege('analytics_readonly', n.oid, 'CREATE')"));
        assertEquals(0L, count(admin, "SELECT count(*) FROM pg_database WHERE datname = current_database()"
                + " AND has_database_privilege('analytics_readonly', oid, 'TEMP')"));
        assertEquals(25L, count(admin, "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'analytics_readonly'"));

        DataSource readonly = TestDatabases.dataSource(pg, db, "analytics_readonly");
        try (Connection c = readonly.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SHOW transaction_read_only")) {
                r.next();
                assertEquals("on", r.getString(1), "a new session of the role is not read-only");
            }
            for (String change : List.of("ALTER ROLE analytics_readonly SET work_mem = '1GB'",
                    "ALTER ROLE analytics_readonly PASSWORD 'x'")) {
                SQLException readOnly = assertThrows(SQLException.class, () -> s.execute(change), change);
                assertEquals("25006", readOnly.getSQLState(), readOnly.getMessage());
            }
            // A large object can be created in a read-only transaction: the functions are closed to the role.
            for (String lo : List.of("SELECT lo_create(0)", "SELECT lo_creat(-1)",
                    "SELECT lo_from_bytea(0, 'x'::bytea)")) {
                SQLException denied = assertThrows(SQLException.class, () -> s.execute(lo), lo);
                assertEquals("42501", denied.getSQLState(), denied.getMessage());
            }
        }
        assertEquals(0L, count(admin, "SELECT count(*) FROM pg_largeobject_metadata"));
        assertEquals(25L, count(admin, "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'analytics_readonly'"));
        for (String create : List.of("CREATE TEMP TABLE t (x int)", "CREATE TABLE public.sneaky (x int)",
                "CREATE TABLE scratch.sneaky (x int)", "CREATE VIEW web_analytics.sneaky AS SELECT 1")) {
            SQLException e = assertThrows(SQLException.class, () -> {
                try (Connection c = readonly.getConnection(); Statement s = c.createStatement()) {
                    s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
                    s.execute(create);
                }
            }, create);
            assertEquals("42501", e.getSQLState(), create + ": " + e.getMessage());
        }
        try (Connection c = TestDatabases.dataSource(pg, db, "analytics_writer").getConnection();
             Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE batch (x int)");
        }

        List<Connection> held = new java.util.ArrayList<>();
        try {
            long others = count(admin, "SELECT count(*) FROM pg_stat_activity WHERE usename = 'analytics_readonly'");
            for (long i = others; i < 25; i++) {
                held.add(readonly.getConnection());
            }
            SQLException full = assertThrows(SQLException.class, readonly::getConnection);
            assertEquals("53300", full.getSQLState(), full.getMessage());
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = WarehouseMigrationsTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
