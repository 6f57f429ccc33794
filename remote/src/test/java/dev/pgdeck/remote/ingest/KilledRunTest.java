package dev.pgdeck.remote.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.remote.ingest.IngestFixture.Api;
import dev.pgdeck.remote.testing.PostgresServerExtension;
import dev.pgdeck.remote.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A run killed with SIGKILL midway (in its own JVM) and started again ends with exactly the source's events. */
class KilledRunTest {
    @RegisterExtension
    static PostgresServerExtension pg = new PostgresServerExtension();

    @ParameterizedTest
    @EnumSource(Api.class)
    void aRunKilledMidwayAndStartedAgainEndsWithEveryEventOnce(Api api) throws Exception {
        try (IngestFixture f = new IngestFixture(pg)) {
            f.addEvents(0, 2000, Duration.ofSeconds(3));
            f.addEvents(2000, 200, Duration.ZERO); // ties too
            Set<String> source = f.storedIdsOfSource();
            f.posthog.delayMillis(40);

            Path log = pg.directory().resolve("child-" + api + ".log");
            Process child = new ProcessBuilder(javaBinary(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                    IngestChild.class.getName(), f.posthog.uri().toString(),
                    TestDatabases.jdbcUrl(pg, f.database), api == Api.QUERY ? "query" : "events", "37")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (f.count("SELECT coalesce(max(pages), 0) FROM ingest.runs") < 10) {
                assertTrue(child.isAlive(), () -> "the child ended early: " + read(log));
                assertTrue(System.nanoTime() < deadline, "the child made no progress: " + read(log));
                Thread.sleep(20);
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback, no goodbye
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue());

            long before = f.storedIds().size();
            assertTrue(before > 0 && before < source.size(), "killed midway: " + before);
            f.posthog.delayMillis(0);
            IngestSummary again = f.ingest(api, 37);

            assertEquals(source, f.storedIds());
            assertEquals(source.size() - before, again.inserted());
            assertEquals(List.of("interrupted", "succeeded"), f.strings("SELECT status FROM ingest.runs ORDER BY id"));
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

}
