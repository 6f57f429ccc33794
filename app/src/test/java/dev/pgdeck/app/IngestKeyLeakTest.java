package dev.pgdeck.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.remote.testing.EventStore;
import dev.pgdeck.remote.testing.FakePostHog;
import dev.pgdeck.remote.testing.PostgresServerExtension;
import dev.pgdeck.remote.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 13: no PostHog key in any message. `pgdeck ingest` is driven down every failure path (a malformed key file,
 * 401, 403, a network error, 429 until it gives up, the database down) and then everything it wrote is searched for
 * the keys: its stdout and stderr, the JVM's own stdout and stderr (the retry warnings are logged there), and every
 * row of every warehouse table, ingest.runs.error included.
 */
class IngestKeyLeakTest {
    @RegisterExtension
    static PostgresServerExtension pg = new PostgresServerExtension();

    /** What identifies each key in a text: distinctive parts, so a key cut or wrapped is still found. */
    private static final List<String> NEEDLES = List.of(FakePostHog.KEY, "fake_personal", "phx_wrong_key_4711",
            "wrong_key_4711");

    @TempDir
    Path dir;

    @Test
    void noFailurePathShowsOrStoresTheKey() throws Exception {
        String db = TestDatabases.create(pg, "leak");
        String jdbc = TestDatabases.jdbcUrl(pg, db) + "?user=postgres";
        List<String> said = new ArrayList<>();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream jvmOut = new ByteArrayOutputStream();
        ByteArrayOutputStream jvmErr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(jvmOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(jvmErr, true, StandardCharsets.UTF_8));
        try (FakePostHog posthog = new FakePostHog(events())) {
            String url = posthog.uri().toString();

            // Malformed key files: refused where they are read, by line count or position.
            for (String[] malformed : new String[][] {
                {FakePostHog.KEY + "\nsecond line\n", "has 2 lines; a key is one line"},
                {FakePostHog.KEY + "\u0007", "has a control character at position 22"},
                {"phx fake_personal_key", "has a space at position 4"},
            }) {
                Result r = ingest(said, url, key(malformed[0]), jdbc, "--max-attempts", "1");
                assertEquals(1, r.exit, r.err);
                assertTrue(r.err.contains("pgdeck ingest: the API key file ") && r.err.contains(malformed[1]), r.err);
            }

            // 401: a well-formed key PostHog does not know.
            Result unauthorized = ingest(said, url, key("phx_wrong_key_4711"), jdbc, "--max-attempts", "1");
            assertEquals(1, unauthorized.exit);
            assertTrue(unauthorized.err.contains("HTTP 401"), unauthorized.err);

            // 403: the right key without access to the project.
            posthog.fail(403, null, 1);
            Result forbidden = ingest(said, url, key(FakePostHog.KEY), jdbc, "--max-attempts", "1");
            assertEquals(1, forbidden.exit);
            assertTrue(forbidden.err.contains("HTTP 403"), forbidden.err);

            // 429 on every try until the run gives up.
            posthog.fail(429, "0", 3);
            Result limited = ingest(said, url, key(FakePostHog.KEY), jdbc, "--max-attempts", "3");
            assertEquals(1, limited.exit);
            assertTrue(limited.err.contains("gave up after 3 attempts") && limited.err.contains("HTTP 429"),
                    limited.err);

            // Nobody listening.
            Result network = ingest(said, "http://127.0.0.1:" + closedPort() + "/", key(FakePostHog.KEY), jdbc,
                    "--max-attempts", "2");
            assertEquals(1, network.exit);
            assertTrue(network.err.contains("connection failed"), network.err);

            // The database down.
            Result down = ingest(said, url, key(FakePostHog.KEY),
                    "jdbc:postgresql://127.0.0.1:" + closedPort() + "/analytics?user=postgres&connectTimeout=2",
                    "--max-attempts", "1");
            assertEquals(1, down.exit);
            assertTrue(down.err.startsWith("pgdeck ingest: "), down.err);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        said.add(jvmOut.toString(StandardCharsets.UTF_8));
        said.add(jvmErr.toString(StandardCharsets.UTF_8));
        assertTrue(said.get(said.size() - 1).contains("retrying"), "the retry warnings were not captured");
        for (String text : said) {
            for (String needle : NEEDLES) {
                assertFalse(text.contains(needle), "the key is shown: " + text);
            }
        }

        DataSource warehouse = TestDatabases.dataSource(pg, db, "postgres");
        assertTrue(rows(warehouse, "SELECT error FROM ingest.runs WHERE error IS NOT NULL").size() >= 4,
                "the failed runs were not recorded");
        List<String> tables = rows(warehouse, "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name)"
                + " FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')");
        assertTrue(tables.contains("ingest.runs") && tables.size() > 10, tables.toString());
        for (String table : tables) {
            for (String needle : NEEDLES) {
                List<String> found = rows(warehouse, "SELECT t::text FROM " + table + " t WHERE t::text LIKE '%"
                        + needle + "%'");
                assertEquals(List.of(), found, "the key is stored in " + table);
            }
        }
    }

    private static EventStore events() {
        EventStore.InMemory events = new EventStore.InMemory();
        Instant t0 = Instant.parse("2025-03-01T10:00:00Z");
        for (int i = 0; i < 5; i++) {
            events.add(FakePostHog.event("0195-" + (1000 + i), "$pageview", t0.plusSeconds(i), "u" + i,
                    "https://shop.example.com/"));
        }
        return events;
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result ingest(List<String> said, String url, Path key, String jdbc, String... more) {
        List<String> args = new ArrayList<>(List.of("ingest", "--posthog-url", url, "--project-id", "42",
                "--api-key-file", key.toString(), "--jdbc-url", jdbc, "--since", "2025-03-01"));
        args.addAll(List.of(more));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new PgdeckCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args.toArray(String[]::new));
        said.add(out.toString());
        said.add(err.toString());
        return new Result(exit, out.toString(), err.toString());
    }

    private Path key(String text) throws Exception {
        Path p = Files.createTempFile(dir, "key", "");
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static List<String> rows(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }
}
