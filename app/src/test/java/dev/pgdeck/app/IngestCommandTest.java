package dev.pgdeck.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.testing.EventStore;
import dev.pgdeck.remote.testing.FakePostHog;
import dev.pgdeck.remote.testing.PostgresServerExtension;
import dev.pgdeck.remote.testing.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class IngestCommandTest {
    @RegisterExtension
    static PostgresServerExtension pg = new PostgresServerExtension();

    @TempDir
    Path dir;

    @Test
    void migratesIngestsAndPrintsTheSummaryAsJson() throws Exception {
        EventStore.InMemory events = new EventStore.InMemory();
        Instant t0 = Instant.parse("2025-03-01T10:00:00Z");
        for (int i = 0; i < 25; i++) {
            events.add(FakePostHog.event("0195-" + (1000 + i), "$pageview", t0.plusSeconds(i), "u" + i % 3,
                    "https://shop.example.com/"));
        }
        String db = TestDatabases.create(pg, "cli");
        Path key = secret("key", FakePostHog.KEY, "rw-------");
        try (FakePostHog posthog = new FakePostHog(events)) {
            for (String api : List.of("query", "events")) {
                Result r = run("ingest", "--api", api, "--posthog-url", posthog.uri().toString(), "--project-id", "42",
                        "--api-key-file", key.toString(), "--jdbc-url", TestDatabases.jdbcUrl(pg, db) + "?user=postgres",
                        "--page-size", "10", "--since", "2025-03-01");
                assertEquals(0, r.exit, r.err);
                JsonNode json = Json.mapper().readTree(r.out);
                assertEquals(List.of("fetched", "inserted", "duplicates", "rejected", "pages", "seconds", "watermark"),
                        iterable(json));
                assertEquals(25, json.get("fetched").asInt());
                assertEquals(api.equals("query") ? 25 : 0, json.get("inserted").asInt());
                assertEquals("2025-03-01T10:00:24Z", json.get("watermark").asText());
            }
        }
    }

    @Test
    void failsClearlyOnAKeyFileOthersCanRead() throws Exception {
        Path key = secret("open-key", "phx_do_not_print", "rw-r--r--");
        Result r = run("ingest", "--posthog-url", "http://127.0.0.1:9/", "--project-id", "1", "--api-key-file",
                key.toString(), "--jdbc-url", TestDatabases.jdbcUrl(pg, "postgres") + "?user=postgres");
        assertEquals(1, r.exit);
        assertTrue(r.err.contains("accessible by group or others"), r.err);
        assertFalse(r.err.contains("phx_do_not_print"));
    }

    @Test
    void failsWithWhereItStoppedWhenPostHogIsUnreachable() throws Exception {
        Path key = secret("key2", "k", "r--------");
        Result r = run("ingest", "--max-attempts", "1", "--posthog-url", "http://127.0.0.1:9/", "--project-id", "1",
                "--api-key-file",
                key.toString(), "--jdbc-url", TestDatabases.jdbcUrl(pg, TestDatabases.create(pg, "cli")) + "?user=postgres");
        assertEquals(1, r.exit);
        assertTrue(r.err.contains("connection failed"), r.err);
        assertTrue(r.err.contains("the run stopped after 0 committed pages"), r.err);
    }

    @Test
    void takesTheKeyFromAFileOrTheKeyringNotBoth() throws Exception {
        Path key = secret("key3", "k", "r--------");
        String jdbc = TestDatabases.jdbcUrl(pg, "postgres") + "?user=postgres";
        Result both = run("ingest", "--posthog-url", "http://127.0.0.1:9/", "--project-id", "1", "--api-key-file",
                key.toString(), "--api-key-from-keyring", "--jdbc-url", jdbc);
        assertEquals(2, both.exit);
        assertTrue(both.err.contains("mutually exclusive"), both.err);
        Result neither = run("ingest", "--posthog-url", "http://127.0.0.1:9/", "--project-id", "1", "--jdbc-url", jdbc);
        assertEquals(2, neither.exit);
        assertTrue(neither.err.contains("--api-key-file"), neither.err);
        // This JVM has no Secret Service of its own (or, on a desktop, no key saved for this address): said in words.
        Result keyring = run("ingest", "--posthog-url", "http://127.0.0.1:9/", "--project-id", "1",
                "--api-key-from-keyring", "--jdbc-url", jdbc);
        assertEquals(1, keyring.exit);
        assertTrue(keyring.err.startsWith("pgdeck ingest: ") && keyring.err.contains("OS keyring"), keyring.err);
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new PgdeckCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Path secret(String name, String text, String mode) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    private static List<String> iterable(JsonNode json) {
        List<String> names = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
