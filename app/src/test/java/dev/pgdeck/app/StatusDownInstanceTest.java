package dev.pgdeck.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, finding 5: `pgdeck status` exited 0 while an instance was down, and the down instance's reason was the
 * whole psql command. Here a real host (the embedded SSH server, commands through a real shell) lists an instance on
 * a port where no server runs; status, in text and in JSON, as its own process, exits 1 and keeps every reason short.
 */
class StatusDownInstanceTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();

    @TempDir
    Path config;

    private Map<String, String> inventoryWithADownInstance() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path dir = Files.createDirectories(config.resolve("pgdeck"));
        Files.writeString(dir.resolve("hosts.json"), "{\"version\": 1, \"hosts\": [{\"name\": \"ssh1\", \"address\": \""
                + SshServerExtension.HOST + "\", \"port\": " + SSH.port() + ", \"user\": \""
                + System.getProperty("user.name") + "\", \"keyFile\": \"" + SSH.clientKey() + "\", \"profile\": \"debian\","
                + " \"instances\": [{\"name\": \"main\", \"port\": " + port + "}]}]}");
        Files.writeString(dir.resolve("known_hosts"), SSH.knownHostsLine(SSH.hostKey()) + "\n");
        return Map.of("XDG_CONFIG_HOME", config.toString());
    }

    @Test
    void aDownInstanceIsExitStatusOneInTextAndJsonWithShortReasons() throws Exception {
        Map<String, String> env = inventoryWithADownInstance();

        BadInputTest.Run text = BadInputTest.pgdeck(List.of("status"), env);
        assertEquals(StatusCommand.ATTENTION, text.exit(), text.err() + text.out());
        assertTrue(text.out().contains("DOWN"), text.out());

        BadInputTest.Run json = BadInputTest.pgdeck(List.of("status", "--json"), env);
        assertEquals(StatusCommand.ATTENTION, json.exit(), json.err() + json.out());
        JsonNode host = Json.mapper().readTree(json.out()).get("hosts").get(0);
        assertTrue(host.get("reachable").asBoolean(), "the host answers: " + host);
        JsonNode main = host.get("instances").get(0);
        assertFalse(main.get("running").asBoolean(), main.toString());

        for (String line : text.out().lines().toList()) {
            assertTrue(line.length() < 600, "a reason is one short line, not the whole command: " + line);
        }
        main.get("errors").forEach(reason -> {
            assertTrue(reason.asText().length() < 600, "short: " + reason);
            assertEquals(1, reason.asText().lines().count(), "one line: " + reason);
        });
        for (String output : List.of(text.err(), json.err())) {
            assertFalse(output.contains("Exception") || output.contains("\tat "), output);
        }
    }
}
