package dev.pgdeck.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgdeck.remote.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `pgdeck verify-backup` in-process, against the sandbox's real pg_basebackup -Ft -z -Xstream backup. */
class VerifyBackupCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new PgdeckCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void verifiesTheSandboxsFirstBackup() throws Exception {
        Run status = run("status", "--json", "--host", "sandbox");
        assertEquals(0, status.exit(), status.err());
        String label = Json.mapper().readTree(status.out()).get("hosts").get(0).get("instances").get(0)
                .get("baseBackups").get(0).get("label").asText();

        Run verify = run("verify-backup", "--host", "sandbox", "--instance", "main", "--backup", label);

        assertEquals(0, verify.exit(), verify.err() + verify.out());
        JsonNode json = Json.mapper().readTree(verify.out());
        assertEquals(label, json.get("backup").asText());
        assertTrue(json.get("ok").asBoolean(), json.toString());
        assertEquals(0, json.get("problems").size());
        assertEquals("the backup", json.get("walSource").asText());
    }

    @Test
    void aLabelThatIsNotABackupNameIsRefusedBeforeAnythingRuns() {
        Run r = run("verify-backup", "--host", "sandbox", "--instance", "main", "--backup", "latest; rm -rf /");

        assertEquals(2, r.exit());
        assertTrue(r.err().contains("is not a base backup name: expected YYYYMMDD-HHMMSS"), r.err());
        assertEquals("", r.out());
    }
}
