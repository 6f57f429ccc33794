package dev.pgdeck.remote.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.posthog.ApiKey;
import dev.pgdeck.remote.posthog.PostHogConnection;
import dev.pgdeck.remote.posthog.QueryApiSource;
import dev.pgdeck.remote.posthog.Timestamps;
import dev.pgdeck.remote.testing.FakePostHog;
import dev.pgdeck.remote.testing.GeneratedEvents;
import dev.pgdeck.remote.testing.PostgresServerExtension;
import dev.pgdeck.remote.testing.TestDatabases;
import dev.pgdeck.remote.warehouse.WarehouseMigrations;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Ingests N events (default 1,000,000) from the fake PostHog into a fresh warehouse and, in the same run, times
 * psql's {@code \copy} of the same events into the same table (the floor) and seed 000's one INSERT per event through
 * psql (on a sample, extrapolated). Run with:
 * <pre>
 * ./mvnw -q -B -pl model,remote -Pbench test -DskipTests            # or -Dingest.bench.events=200000
 * </pre>
 * The JVM runs with -Xmx256m (the heap bound); the peak heap after collections is printed.
 */
public final class IngestBenchmark {
    private static final ObjectMapper MAPPER = Json.mapper();

    private IngestBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int seedSample = Math.min(n, 50_000);
        PostgresServerExtension pg = new PostgresServerExtension();
        pg.beforeAll(null);
        try {
            // The test server runs with fsync off; a benchmark of commits needs it on, as on a host.
            try (Connection c = pg.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("ALTER SYSTEM SET fsync = on");
                st.execute("SELECT pg_reload_conf()");
            }
            GeneratedEvents events = new GeneratedEvents(n, Instant.parse("2025-01-01T00:00:00Z"));
            Path dir = pg.directory();

            DataSource pgdeckDb = warehouse(pg, "bench_pgdeck");
            double pgdeck;
            double pages;
            IngestSummary s;
            HeapWatch watch = new HeapWatch();
            try (FakePostHog posthog = new FakePostHog(events)) {
                PostHogConnection c = PostHogConnection.of(posthog.uri(), "1", ApiKey.of(FakePostHog.KEY))
                        .withPageSize(10_000);
                System.gc();
                watch.start();
                long t = System.nanoTime();
                long[] lastCommit = new long[1];
                s = new IngestEngine(pgdeckDb, new QueryApiSource(c, null), IngestOptions.DEFAULT,
                        (p, fetched, inserted, mark) -> lastCommit[0] = System.nanoTime()).run();
                pgdeck = (System.nanoTime() - t) / 1e9;
                pages = (lastCommit[0] - t) / 1e9;
            }
            long[] heap = watch.finish();
            check(pgdeckDb, n);

            Path copyFile = dir.resolve("events.copy");
            writeCopyFile(events, copyFile);
            String copyDb = database(pg, "bench_copy");
            long t = System.nanoTime();
            psql(pg, copyDb, "-c", "\\copy web_analytics.posthog_events (event_id, event_name, properties, timestamp,"
                    + " user_id, session_id) from '" + copyFile + "'");
            double copy = (System.nanoTime() - t) / 1e9;
            check(TestDatabases.dataSource(pg, copyDb, "postgres"), n);
            Files.delete(copyFile);

            Path insertFile = dir.resolve("events.sql");
            writeSeedInserts(events, seedSample, insertFile);
            String seedDb = database(pg, "bench_seed");
            t = System.nanoTime();
            psql(pg, seedDb, "-q", "-f", insertFile.toString());
            double seed = (System.nanoTime() - t) / 1e9;
            check(TestDatabases.dataSource(pg, seedDb, "postgres"), seedSample);
            Files.delete(insertFile);

            double pgdeckRate = n / pgdeck;
            double copyRate = n / copy;
            double seedRate = seedSample / seed;
            System.out.printf("events: %,d (pages %d, duplicates %d, rejected %d)%n", n, s.pages(), s.duplicates(),
                    s.rejected());
            System.out.printf("pgdeck ingest, whole run (+ marts, checks, VACUUM ANALYZE):       %8.1f s %,10.0f events/s%n",
                    pgdeck, pgdeckRate);
            System.out.printf("pgdeck ingest, pages only (HTTP, parse, COPY, INSERT, commit):    %8.1f s %,10.0f events/s"
                    + " = %.2fx \\copy%n", pages, n / pages, (n / pages) / copyRate);
            System.out.printf("psql \\copy into the same table (the floor):                      %8.1f s %,10.0f events/s%n",
                    copy, copyRate);
            System.out.printf("seed 000, one INSERT per event via psql (%,d-event sample):      %8.1f s %,10.0f events/s"
                    + " (%,.0f s for %,d)%n", seedSample, seed, seedRate, n / seedRate, n);
            System.out.printf("pgdeck / \\copy = %.2fx (goal >= 0.8), pgdeck / seed = %.1fx (goal >= 15)%n",
                    pgdeckRate / copyRate, pgdeckRate / seedRate);
            System.out.printf("heap (fake PostHog in the same JVM): -Xmx %d MB; during the run: live after GC at most"
                    + " %d MB, used at most %d MB (goal < 256 MB)%n", Runtime.getRuntime().maxMemory() >> 20,
                    heap[0] >> 20, heap[1] >> 20);
        } finally {
            pg.afterAll(null);
        }
    }

    private static String database(PostgresServerExtension pg, String prefix) throws Exception {
        String db = TestDatabases.create(pg, prefix);
        new WarehouseMigrations(TestDatabases.dataSource(pg, db, "postgres")).migrate();
        return db;
    }

    private static DataSource warehouse(PostgresServerExtension pg, String prefix) throws Exception {
        return TestDatabases.dataSource(pg, database(pg, prefix), "postgres");
    }

    private static void check(DataSource ds, long expected) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM web_analytics.posthog_events")) {
            rs.next();
            if (rs.getLong(1) != expected) {
                throw new IllegalStateException("expected " + expected + " events, found " + rs.getLong(1));
            }
        }
    }

    /** The same rows pgdeck writes, in COPY text format. */
    private static void writeCopyFile(GeneratedEvents events, Path file) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder row = new StringBuilder(1024);
            for (int i = 0; i < events.size(); i++) {
                JsonNode e = events.get(i).event();
                row.setLength(0);
                CopyText.row(row, e.get("id").asText(), e.get("event").asText(),
                        MAPPER.writeValueAsString(e.get("properties")),
                        Timestamps.parse(e.get("timestamp").asText()).toString(), e.get("distinct_id").asText(),
                        e.path("properties").path("$session_id").asText());
                w.append(row);
            }
        }
    }

    /** Seed 000's jq output: one INSERT ... ON CONFLICT DO NOTHING per event, each its own transaction. */
    private static void writeSeedInserts(GeneratedEvents events, int count, Path file) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) {
                JsonNode e = events.get(i).event();
                w.append("INSERT INTO web_analytics.posthog_events (event_id, event_name, properties, timestamp,"
                                + " user_id, session_id) VALUES (")
                        .append(lit(e.get("id").asText())).append(',').append(lit(e.get("event").asText())).append(',')
                        .append(lit(MAPPER.writeValueAsString(e.get("properties")))).append(',')
                        .append(lit(e.get("timestamp").asText())).append(',').append(lit(e.get("distinct_id").asText()))
                        .append(',').append(lit(e.path("properties").path("$session_id").asText()))
                        .append(") ON CONFLICT (event_id) DO NOTHING;\n");
            }
        }
    }

    private static String lit(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static void psql(PostgresServerExtension pg, String db, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("psql", "-X", "-v", "ON_ERROR_STOP=1", "-h",
                "127.0.0.1", "-p", Integer.toString(pg.port()), "-U", "postgres", "-d", db));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("psql failed: " + command);
        }
    }

    /** Samples, every 50 ms, the heap in use right after the latest collection (the live set, not garbage). */
    private static final class HeapWatch extends Thread {
        private volatile boolean done;
        private long maxLive;
        private long maxUsed;

        HeapWatch() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!done) {
                long live = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                        live += pool.getCollectionUsage().getUsed();
                    }
                }
                maxLive = Math.max(maxLive, live);
                maxUsed = Math.max(maxUsed, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long[] finish() throws InterruptedException {
            done = true;
            join();
            return new long[] {maxLive, maxUsed};
        }
    }
}
