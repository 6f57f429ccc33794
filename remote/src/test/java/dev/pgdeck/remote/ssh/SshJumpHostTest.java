package dev.pgdeck.remote.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.InventoryHosts;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a host reachable only through a bastion, given in hosts.json or by ~/.ssh/config. Two embedded servers:
 * the database host's session must arrive as a direct-tcpip channel of the bastion.
 */
class SshJumpHostTest {
    @RegisterExtension
    static final SshServerExtension BASTION = new SshServerExtension();
    @RegisterExtension
    static final SshServerExtension DB = new SshServerExtension();

    private static final HostCommand ECHO = HostCommand.of("echo", "behind the bastion");
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path tmp;

    private Path key;
    private Path knownHosts;

    @BeforeEach
    void oneKeyForBothAndBothHostKeysKnown() throws Exception {
        key = tmp.resolve("id_ed25519");
        PublicKey pub = SshServerExtension.writeKeyPair(key).getPublic();
        BASTION.authorize(pub);
        DB.authorize(pub);
        knownHosts = tmp.resolve("known_hosts");
        Files.write(knownHosts, List.of(BASTION.knownHostsLine(BASTION.hostKey()), DB.knownHostsLine(DB.hostKey())));
    }

    @Test
    void aJumpHostInHostsJson() throws Exception {
        HostEntry entry = new HostEntry("db1", SshServerExtension.HOST, DB.port(), USER, key.toString(), "seed002",
                Map.of(), List.of(new HostEntry.InstanceEntry("main", 5432)), USER + "@127.0.0.1:" + BASTION.port());
        SshTarget target = InventoryHosts.target(entry, knownHosts, SshConfig.load(tmp.resolve("no-config")));

        assertRunsThroughTheBastion(target);
    }

    @Test
    void hostNamePortIdentityFileAndProxyJumpFromSshConfig() throws Exception {
        Path config = tmp.resolve("config");
        Files.writeString(config, String.join("\n",
                "# as a user would have it",
                "Host db-behind",
                "    HostName 127.0.0.1",
                "    Port " + DB.port(),
                "    IdentityFile " + key,
                "    ProxyJump bastion",
                "Host bastion",
                "    HostName=127.0.0.1",
                "    Port " + BASTION.port(),
                "    User " + USER,
                "    IdentityFile \"" + key + "\"",
                "Host *",
                "    Port 2",
                "    ProxyJump none",
                ""));
        HostEntry entry = new HostEntry("db1", "db-behind", 22, USER, null, "seed002", Map.of(),
                List.of(new HostEntry.InstanceEntry("main", 5432)));
        SshTarget target = InventoryHosts.target(entry, knownHosts, SshConfig.load(config));

        assertEquals("127.0.0.1", target.address());
        assertEquals(DB.port(), target.port());
        assertEquals(key, target.keyFile());
        assertEquals("bastion", target.jump().name());
        assertEquals(BASTION.port(), target.jump().port());
        assertEquals(USER, target.jump().user());
        assertNull(target.jump().jump());
        assertRunsThroughTheBastion(target);
    }

    @Test
    void aSilentHostBehindTheBastionGivesUpWithinTheConnectLimit() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            SshTarget bastion = new SshTarget("bastion", SshServerExtension.HOST, BASTION.port(), USER, key,
                    knownHosts, List.of());
            SshTarget target = new SshTarget("db1", SshServerExtension.HOST, silent.getLocalPort(), USER, key,
                    knownHosts, List.of()).via(bastion);
            Duration limit = Duration.ofSeconds(2);
            try (SshShell shell = new SshShell(target, new CommandLog(), HostKeyPrompt.REFUSE, PassphraseSource.NONE,
                    new SshShell.Timeouts(limit, limit, Duration.ofSeconds(15)))) {
                long started = System.nanoTime();
                dev.pgdeck.remote.host.HostCommandException e = org.junit.jupiter.api.Assertions.assertThrows(
                        dev.pgdeck.remote.host.HostCommandException.class, () -> shell.run(ECHO, Duration.ofSeconds(60)));
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertEquals("no SSH banner from db1 (127.0.0.1 port " + silent.getLocalPort() + ", through bastion)"
                        + " within 2 s", e.getMessage());
                org.junit.jupiter.api.Assertions.assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "took " + took);
            } finally {
                for (java.net.Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    private void assertRunsThroughTheBastion(SshTarget target) throws Exception {
        int before = BASTION.forwardedChannels();
        try (SshShell shell = new SshShell(target, new CommandLog(), HostKeyPrompt.REFUSE, PassphraseSource.NONE)) {
            assertEquals("behind the bastion\n", shell.run(ECHO, Duration.ofSeconds(20)).stdout());
            assertEquals("behind the bastion\n", shell.run(ECHO, Duration.ofSeconds(20)).stdout());
        }
        assertEquals(before + 1, BASTION.forwardedChannels(), "one tunnel through the bastion for both commands");
        assertEquals(0, DB.forwardedChannels());
    }
}
