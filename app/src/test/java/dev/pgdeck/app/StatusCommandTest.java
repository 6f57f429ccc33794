package dev.pgdeck.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgdeck.remote.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
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
