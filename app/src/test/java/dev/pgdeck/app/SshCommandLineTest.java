package dev.pgdeck.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: the command line against SSH servers that misbehave, as a terminal sees it (a child JVM). */
class SshCommandLineTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();

    @TempDir
    Path home;

    @Test
    void aHostThatNeverSendsItsBannerGivesUpWithinTheConnectLimitWithOneLine() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accepted, never answered
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            writeInventory(host("silent", silent.getLocalPort(), null));

            CliProcess.Result text = CliProcess.run(home, Duration.ofSeconds(60), "status", "--host", "silent");
            CliProcess.Result json = CliProcess.run(home, Duration.ofSeconds(60), "status", "--host", "silent",
                    "--json");

            String line = "no SSH banner from silent (127.0.0.1 port " + silent.getLocalPort() + ") within 10 s";
            assertEquals(1, text.exit(), text.stderr());
            assertEquals("silent  UNREACHABLE: " + line, text.stdout().lines().findFirst().orElseThrow());
            assertNoTrace(text.stdout());
            // a JVM's start on a loaded machine takes seconds: the bound that matters is tested in SshPhaseLimitTest
            assertTrue(text.took().compareTo(Duration.ofSeconds(40)) < 0, "took " + text.took());
            assertTrue(text.took().compareTo(Duration.ofSeconds(10)) >= 0, "took " + text.took());
            assertEquals("", text.stderr());
            assertEquals(1, json.exit(), json.stderr());
            JsonNode host = Json.mapper().readTree(json.stdout()).get("hosts").get(0);
            assertFalse(host.get("reachable").asBoolean());
            assertEquals(line, host.get("error").asText());
            assertEquals("", json.stderr());
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void anEncryptedKeyWithoutAPassphraseGivesOneLineAndValidJson() throws Exception {
        Path key = home.resolve("id_encrypted");
        SSH.authorize(SshServerExtension.writeKeyPair(key, "correct horse").getPublic());
        writeInventory(host("db1", SSH.port(), key));
        trustServer();

        CliProcess.Result text = CliProcess.run(home, Duration.ofSeconds(60), "status", "--host", "db1");
        CliProcess.Result json = CliProcess.run(home, Duration.ofSeconds(60), "status", "--host", "db1", "--json");

        assertEquals(1, text.exit(), text.stderr());
        assertEquals("", text.stderr());
        assertTrue(text.stdout().startsWith("db1  UNREACHABLE: The private key " + key + " for db1 is encrypted and no"
                + " passphrase was given"), text.stdout());
        assertNoTrace(text.stdout());
        assertEquals(1, json.exit(), json.stderr());
        assertEquals("", json.stderr());
        JsonNode host = Json.mapper().readTree(json.stdout()).get("hosts").get(0);
        assertFalse(host.get("reachable").asBoolean());
        assertTrue(host.get("error").asText().contains("is encrypted"), host.toString());
    }

    /** sshj logs refused keys at ERROR with an MD5 fingerprint and a trace: none of it may reach the terminal. */
    @Test
    void anUnknownOrChangedHostKeyIsOneLineAndNoSshjLogging() throws Exception {
        writeInventory(host("db1", SSH.port(), SSH.clientKey()));

        CliProcess.Result unknown = CliProcess.run(home, Duration.ofSeconds(60), "status", "--host", "db1");

        assertEquals(1, unknown.exit(), unknown.stderr());
        assertEquals("", unknown.stderr());
        assertEquals("db1  UNREACHABLE: Refused to connect to db1: the host key of 127.0.0.1 port " + SSH.port()
                + " (ecdsa-sha2-nistp256 " + KeyUtils.getFingerPrint(SSH.hostKey()) + ") is not trusted yet: run"
                + " `pgdeck hosts trust db1` or accept it in the console", unknown.stdout().lines().findFirst().orElseThrow());
        assertNoTrace(unknown.stdout());
        assertFalse(unknown.stdout().contains("MD5"), unknown.stdout());

        Path knownHosts = home.resolve(".config").resolve("pgdeck").resolve("known_hosts");
        Files.writeString(knownHosts, SSH.knownHostsLine(KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256)
                .getPublic()) + "\n");
        CliProcess.Result changed = CliProcess.run(home, Duration.ofSeconds(60), "status", "--host", "db1", "--json");

        assertEquals(1, changed.exit(), changed.stderr());
        assertEquals("", changed.stderr());
        String error = Json.mapper().readTree(changed.stdout()).get("hosts").get(0).get("error").asText();
        assertTrue(error.contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), error);
    }

    @Test
    void trustAsksOnATerminalAndSavesTheKeyAfterAYes() throws Exception {
        writeInventory(host("db1", SSH.port(), SSH.clientKey()));
        Path knownHosts = home.resolve(".config").resolve("pgdeck").resolve("known_hosts");

        CliProcess.Result no = CliProcess.runOnTerminal(home, Duration.ofSeconds(60), "\n", "hosts", "trust", "db1");
        assertEquals(1, no.exit(), no.stdout() + no.stderr());
        assertTrue(no.stdout().contains("[y/N]") && no.stdout().contains("not saved"), no.stdout());
        assertFalse(Files.exists(knownHosts), "Enter is no");

        CliProcess.Result yes = CliProcess.runOnTerminal(home, Duration.ofSeconds(60), "y\n", "hosts", "trust", "db1");

        assertEquals(0, yes.exit(), yes.stdout() + yes.stderr());
        assertTrue(yes.stdout().contains("has the ecdsa-sha2-nistp256 key " + KeyUtils.getFingerPrint(SSH.hostKey())),
                yes.stdout());
        assertTrue(yes.stdout().contains("Trust this key and save it in pgdeck's known_hosts? [y/N]"), yes.stdout());
        assertEquals(List.of(SSH.knownHostsLine(SSH.hostKey())), Files.readAllLines(knownHosts));
        assertNoTrace(yes.stdout() + yes.stderr());
    }

    /** What status prints below a host (its instances, each "not reachable") is fine; a Java trace is not. */
    static void assertNoTrace(String output) {
        assertFalse(output.contains("Exception") || output.contains("\tat ") || output.contains("ERROR"), output);
    }

    /** pgdeck's own known_hosts trusts the embedded server. */
    private void trustServer() throws IOException {
        Path knownHosts = home.resolve(".config").resolve("pgdeck").resolve("known_hosts");
        Files.createDirectories(knownHosts.getParent());
        Files.copy(SSH.knownHosts(), knownHosts);
    }

    static String host(String name, int port, Path keyFile) {
        return "{\"name\": \"" + name + "\", \"address\": \"127.0.0.1\", \"port\": " + port + ", \"user\": \""
                + System.getProperty("user.name") + "\", " + (keyFile == null ? "" : "\"keyFile\": \"" + keyFile
                + "\", ") + "\"profile\": \"seed002\", \"instances\": [{\"name\": \"main\", \"port\": 5432}]}";
    }

    private void writeInventory(String... hosts) throws IOException {
        Path file = home.resolve(".config").resolve("pgdeck").resolve("hosts.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"version\": 1, \"hosts\": [" + String.join(", ", hosts) + "]}\n");
    }
}
