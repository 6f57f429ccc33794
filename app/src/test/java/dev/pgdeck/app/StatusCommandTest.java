package dev.pgdeck.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.restore.DrillLog;
import dev.pgdeck.remote.drill.DrillRecord;
import dev.pgdeck.remote.sandbox.SandboxHost;
import dev.pgdeck.remote.sandbox.SandboxInstance;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `pgdeck status --json` in-process, against a sandbox of its own (root and size from system properties). */
class StatusCommandTest {
    @Test
    void printsTheSandboxOverviewAsJson() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PgdeckCommand())
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = cli.execute("status", "--json");
        assertEquals(0, exit, err::toString);

        JsonNode host = Json.mapper().readTree(out.toString()).get("hosts").get(0);
        assertEquals("sandbox", host.get("name").asText());
        assertTrue(host.get("reachable").asBoolean());
        JsonNode main = host.get("instances").get(0);
        assertEquals("main", main.get("name").asText());
        assertTrue(main.get("running").asBoolean());
        assertTrue(main.get("version").asText().matches("\\d+\\.\\d+"));
        assertEquals(2, main.get("baseBackupCount").asInt());
        assertTrue(main.get("archiver").get("archivedCount").asLong() > 0);
        // the status contract of issue 3
        for (String key : List.of("archivedCount", "failedCount", "lastArchivedWal", "lastArchivedTime", "lagBytes",
                "lagSeconds", "readyFiles")) {
            assertTrue(main.get("archiver").has(key), key);
        }
        assertTrue(main.get("walArchive").get("segments").asLong() > 0);
        assertTrue(main.get("walArchive").get("gaps").isArray());
        assertEquals(2, main.get("baseBackups").size());
        JsonNode backup = main.get("baseBackups").get(0);
        for (String key : List.of("label", "startTime", "stopTime", "startLsn", "stopLsn", "timeline", "sizeBytes")) {
            assertTrue(backup.has(key), key + " in " + backup);
        }
        assertTrue(java.time.OffsetDateTime.parse(backup.get("stopTime").asText()).getYear() > 2000);
        JsonNode window = main.get("recoverableWindow");
        assertEquals(backup.get("stopTime").asText(), window.get("earliest").asText());
        assertTrue(window.has("latest") && window.get("gaps").isArray());
        assertTrue(main.get("zfsSnapshots").size() > 0, "replayed from the recorded zfs output");
        List<Boolean> replicated = new java.util.ArrayList<>();
        main.get("zfsSnapshots").forEach(z -> replicated.add(z.get("replicated").asBoolean()));
        assertTrue(replicated.contains(true) && replicated.contains(false),
                "compared with the recorded replication target: " + main.get("zfsSnapshots"));
        assertTrue(main.has("resticSnapshots") || main.get("errors").get("restic").asText().startsWith("restic not"));
        assertTrue(List.of("ok", "warn", "fail").contains(main.get("health").get("state").asText()));
        assertTrue(host.get("timers").size() > 0);
        assertEquals(1.0, host.get("metrics").get("postgresql_health").get(0).get("value").asDouble());
        assertEquals(1, host.get("probe").get("roundTrips").asInt());
        // issue 4: the last successful drill, null when none ever succeeded
        assertTrue(main.has("lastDrill"), "written even when null: " + main);
        if (!main.get("lastDrill").isNull()) {
            assertTrue(main.get("lastDrill").get("reached").asBoolean(), main.get("lastDrill").toString());
        }
    }

    @Test
    void lastDrillIsTheNewestSuccessfulDrillOfTheDrillLog() throws Exception {
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
        try (SandboxHost sandbox = SandboxHost.fromEnvironment(new CommandLog())) {
            SandboxInstance current = sandbox.start((step, fraction) -> { });
            HostProfile profile = HostProfile.builtIn(SandboxHost.PROFILE);
            new DrillLog(sandbox.sandbox().shell(), profile, profile.values(sandbox.profileValues(current),
                    current.name(), current.port()), Clock.systemUTC())
                    .append(new DrillRecord("main", at, "name sandbox-first-backup-done", "20251011-120000",
                            "SUCCEEDED", true, 2, 6.5, List.of(new DrillRecord.Step("recover", 5.0)), 1));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new PgdeckCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("status", "--json");
        assertEquals(0, exit, err::toString);
        JsonNode drill = Json.mapper().readTree(out.toString()).get("hosts").get(0).get("instances").get(0)
                .get("lastDrill");
        assertEquals(at.toInstant(), OffsetDateTime.parse(drill.get("at").asText()).toInstant(), drill.toString());
        assertEquals("name sandbox-first-backup-done", drill.get("target").asText());
        assertTrue(drill.get("reached").asBoolean());
        assertEquals(6.5, drill.get("rtoSeconds").asDouble());
        assertEquals(4, drill.size(), "at, target, reached, rtoSeconds: " + drill);
    }

    @Test
    void anUnknownHostIsRefusedWithTheKnownNames() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new PgdeckCommand()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err)).execute("status", "--json", "--host", "nosuchhost");
        assertEquals(2, exit);
        assertTrue(err.toString().contains("there is no host called \"nosuchhost\""), err.toString());
        assertTrue(err.toString().contains("and sandbox"), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new PgdeckCommand()).setOut(new PrintWriter(out)).execute("--help");
        assertEquals(0, exit);
        assertTrue(out.toString().contains("status"));
        assertTrue(out.toString().contains("sandbox"));
    }
}
