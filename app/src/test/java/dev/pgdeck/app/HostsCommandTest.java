package dev.pgdeck.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 13: `pgdeck hosts list|add|remove|trust`, in-process, with an inventory and known_hosts of its own. */
class HostsCommandTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();

    @TempDir
    Path config;

    private Path knownHosts;
    private String fingerprint;

    record Run(int exit, String out, String err) {}

    private Run pgdeck(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PgdeckCommand()).setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err));
        HostsCommand hosts = cli.getSubcommands().get("hosts").getCommand();
        hosts.env = Map.of("XDG_CONFIG_HOME", config.toString());
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void addTheEmbeddedServer() {
        knownHosts = config.resolve("pgdeck").resolve("known_hosts");
        fingerprint = KeyUtils.getFingerPrint(SSH.hostKey());
        Run add = pgdeck("hosts", "add", "db1", "--address", SshServerExtension.HOST, "--port",
                String.valueOf(SSH.port()), "--user", System.getProperty("user.name"), "--key-file",
                SSH.clientKey().toString(), "--instance", "main:5432", "--instance", "dev:5433");
        assertEquals(0, add.exit(), add.err());
        assertTrue(add.err().contains("next: pgdeck hosts trust db1"), add.err());
    }

    @Test
    void addListAndRemove() throws Exception {
        Run list = pgdeck("hosts", "list");
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().startsWith("db1 ") && list.out().contains("instances main:5432,dev:5433"), list.out());

        JsonNode json = Json.mapper().readTree(pgdeck("hosts", "list", "--json").out());
        JsonNode host = json.get("hosts").get(0);
        assertEquals("db1", host.get("name").asText());
        assertEquals(SSH.port(), host.get("port").asInt());
        assertEquals("seed002", host.get("profile").asText());
        assertEquals(2, host.get("instances").size());

        Run twice = pgdeck("hosts", "add", "DB1", "--address", "x", "--user", "u", "--instance", "main:5432");
        assertEquals(2, twice.exit());
        assertTrue(twice.err().contains("another host is already called"), twice.err());
        assertEquals(1, twice.err().lines().count(), twice.err());
        Run badInstance = pgdeck("hosts", "add", "db2", "--address", "x", "--user", "u", "--instance", "main");
        assertEquals(2, badInstance.exit());
        assertEquals("pgdeck hosts add: --instance \"main\": expected NAME:PORT, e.g. main:5432\n", badInstance.err());

        assertEquals(0, pgdeck("hosts", "remove", "db1").exit());
        assertTrue(pgdeck("hosts", "list").out().startsWith("no hosts in "));
        Run again = pgdeck("hosts", "remove", "db1");
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("There is no host called \"db1\""), again.err());
    }

    @Test
    void trustWithoutAFingerprintShowsTheSha256FingerprintAndSavesNothing() {
        Run trust = pgdeck("hosts", "trust", "db1");

        assertEquals(1, trust.exit());
        assertEquals("db1 (127.0.0.1 port " + SSH.port() + ") has the ecdsa-sha2-nistp256 key " + fingerprint + "\n",
                trust.out());
        assertTrue(fingerprint.startsWith("SHA256:"));
        assertFalse(trust.out().contains("MD5") || trust.err().contains("MD5"));
        assertTrue(trust.err().contains("run `pgdeck hosts trust db1 --fingerprint SHA256:...`"), trust.err());
        assertFalse(Files.exists(knownHosts));
    }

    @Test
    void aFingerprintThatDoesNotMatchSavesNothing() throws Exception {
        String other = KeyUtils.getFingerPrint(KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256).getPublic());
        Run trust = pgdeck("hosts", "trust", "db1", "--fingerprint", other);

        assertEquals(1, trust.exit());
        assertTrue(trust.err().contains("the key's fingerprint is not " + other + "; nothing saved"), trust.err());
        assertFalse(Files.exists(knownHosts));
        Run md5 = pgdeck("hosts", "trust", "db1", "--fingerprint", "MD5:12:34");
        assertEquals(2, md5.exit());
        assertTrue(md5.err().contains("must be a SHA256 fingerprint"), md5.err());
    }

    @Test
    void theMatchingFingerprintSavesTheKeyOnce() throws Exception {
        Run trust = pgdeck("hosts", "trust", "db1", "--fingerprint", fingerprint);

        assertEquals(0, trust.exit(), trust.err());
        assertTrue(trust.out().endsWith("trusted: saved in " + knownHosts + "\n"), trust.out());
        assertEquals(List.of(SSH.knownHostsLine(SSH.hostKey())), Files.readAllLines(knownHosts));

        Run again = pgdeck("hosts", "trust", "db1");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().endsWith(fingerprint + " is already trusted\n"), again.out());
        assertEquals(1, Files.readAllLines(knownHosts).size());
    }

    @Test
    void aChangedKeyIsRefusedEvenWithItsFingerprint() throws Exception {
        PublicKey stale = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256).getPublic();
        Files.createDirectories(knownHosts.getParent());
        Files.writeString(knownHosts, SSH.knownHostsLine(stale) + "\n");

        Run trust = pgdeck("hosts", "trust", "db1", "--fingerprint", fingerprint);

        assertEquals(1, trust.exit());
        assertTrue(trust.err().contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), trust.err());
        assertEquals(1, trust.err().lines().count(), trust.err());
        assertEquals(List.of(SSH.knownHostsLine(stale)), Files.readAllLines(knownHosts));
    }
}
