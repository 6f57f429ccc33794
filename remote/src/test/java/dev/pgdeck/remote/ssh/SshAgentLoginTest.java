package dev.pgdeck.remote.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pgdeck.model.CommandLogEntry;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.InventoryHosts;
import dev.pgdeck.remote.ssh.agent.AgentClient;
import dev.pgdeck.remote.testing.SshAgentProcess;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts without a key file log in with the keys of a real ssh-agent (found through the SSH_AUTH_SOCK given to the
 * shell, never the build's own), against the real MINA server with host keys checked as always.
 */
class SshAgentLoginTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Duration AGENT_TIMEOUT = Duration.ofSeconds(10);
    private static final HostKeyPrompt NEVER_ASKED = key -> fail("the prompt must not be shown for " + key);

    @TempDir
    static Path keys;
    private static Path ed25519;
    private static Path rsa;
    private static Path ecdsa;
    private static Path stranger;

    @TempDir
    Path tmp;

    private final CommandLog log = new CommandLog();

    @BeforeAll
    static void makeKeys() throws Exception {
        ed25519 = SshAgentProcess.generateKey(keys.resolve("id_ed25519"), "ed25519", "ed@pgdeck-test");
        rsa = SshAgentProcess.generateKey(keys.resolve("id_rsa"), "rsa", "rsa@pgdeck-test");
        stranger = SshAgentProcess.generateKey(keys.resolve("id_stranger"), "ed25519", "stranger@pgdeck-test");
        SSH.authorize(SshAgentProcess.publicKeyLine(ed25519));
        ecdsa = SshAgentProcess.generateKey(keys.resolve("id_ecdsa"), "ecdsa", "ecdsa@pgdeck-test");
        SSH.authorize(SshAgentProcess.publicKeyLine(rsa));
        SSH.authorize(SshAgentProcess.publicKeyLine(ecdsa));
    }

    /** A shell for the test server with no key file: the agent's keys, found through {@code env}. */
    static SshShell agentShell(SshServerExtension server, CommandLog log, Map<String, String> env) {
        SshTarget plain = server.target("db1", server.knownHosts());
        SshTarget target = new SshTarget(plain.name(), plain.address(), plain.port(), plain.user(), null,
                plain.knownHostsFile(), plain.userKnownHostsFiles());
        return new SshShell(target, log, NEVER_ASKED, PassphraseSource.NONE, SshShell.Timeouts.DEFAULT, env);
    }

    @Test
    void logsInWithAnEd25519KeyOfTheAgent() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(tmp)) {
            agent.add(ed25519);
            try (SshShell shell = agentShell(SSH, log, agent.env())) {
                assertEquals("through the agent\n",
                        shell.run(HostCommand.of("echo", "through the agent"), TIMEOUT).stdout());
                assertEquals("again\n", shell.run(HostCommand.of("echo", "again"), TIMEOUT).stdout());
            }
            assertFalse(log.entries().get(0).failed());
        }
    }

    @Test
    void logsInWithAnRsaKeyOfTheAgent() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(tmp)) {
            agent.add(rsa);
            try (SshShell shell = agentShell(SSH, log, agent.env())) {
                assertEquals("rsa\n", shell.run(HostCommand.of("echo", "rsa"), TIMEOUT).stdout());
            }
        }
    }

    @Test
    void logsInWithAnEcdsaKeyOfTheAgent() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(tmp)) {
            agent.add(ecdsa);
            try (SshShell shell = agentShell(SSH, log, agent.env())) {
                assertEquals("ecdsa\n", shell.run(HostCommand.of("echo", "ecdsa"), TIMEOUT).stdout());
            }
        }
    }

    @Test
    void offersEachKeyOfTheAgentUntilTheHostTakesOne() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(tmp)) {
            agent.add(stranger);
            agent.add(rsa);
            try (AgentClient client = AgentClient.connect(agent.socket(), AGENT_TIMEOUT)) {
                assertEquals("stranger@pgdeck-test", client.identities().get(0).comment(), "refused key comes first");
            }
            try (SshShell shell = agentShell(SSH, log, agent.env())) {
                assertEquals("second key\n", shell.run(HostCommand.of("echo", "second key"), TIMEOUT).stdout());
            }
        }
    }

    @Test
    void logsInAgainWithTheAgentAfterTheHostRestarts() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(tmp)) {
            agent.add(ed25519);
            try (SshShell shell = agentShell(SSH, log, agent.env())) {
                assertEquals("before\n", shell.run(HostCommand.of("echo", "before"), TIMEOUT).stdout());
                SSH.restart(); // drops the connection: the next command connects and logs in with the agent again
                assertEquals("after\n", shell.run(HostCommand.of("echo", "after"), TIMEOUT).stdout());
            }
        }
    }

    /** The inventory's "no keyFile means ssh-agent", which was refused before pgdeck had an agent client. */
    @Test
    void anInventoryHostWithoutKeyFileLogsInWithTheAgent() throws Exception {
        SshTarget plain = SSH.target("db1", SSH.knownHosts());
        HostEntry entry = new HostEntry("db1", plain.address(), plain.port(), plain.user(), null, "seed002", null,
                null);
        try (SshAgentProcess agent = SshAgentProcess.start(tmp)) {
            agent.add(ed25519);
            try (SshShell shell = InventoryHosts.shell(entry, log, SSH.knownHosts(), NEVER_ASKED, PassphraseSource.NONE,
                    agent.env())) {
                assertEquals("inventory\n", shell.run(HostCommand.of("echo", "inventory"), TIMEOUT).stdout());
            }
        }
    }

    @Test
    void anAgentWithoutKeysGivesAClearError() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(tmp);
             SshShell shell = agentShell(SSH, log, agent.env())) {
            HostCommandException e = assertThrows(HostCommandException.class,
                    () -> shell.run(HostCommand.of("true"), TIMEOUT));

            assertEquals("The ssh-agent at " + agent.socket() + " holds no keys pgdeck can use to log in to db1:"
                    + " add one with ssh-add (or give the host a keyFile)", e.getMessage());
            CommandLogEntry entry = log.entries().get(0);
            assertTrue(entry.failed() && entry.outcome().contains("holds no keys"), entry.outcome());
        }
    }

    @Test
    void anAgentWhoseKeysTheHostRefusesGivesAClearError() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(tmp)) {
            agent.add(stranger);
            String fingerprint;
            try (AgentClient client = AgentClient.connect(agent.socket(), AGENT_TIMEOUT)) {
                fingerprint = client.identities().get(0).fingerprint();
            }
            try (SshShell shell = agentShell(SSH, log, agent.env())) {
                HostCommandException e = assertThrows(HostCommandException.class,
                        () -> shell.run(HostCommand.of("true"), TIMEOUT));

                String user = SSH.target("db1", SSH.knownHosts()).user();
                assertEquals("db1 refused the login as " + user + " with every key of the ssh-agent at "
                        + agent.socket() + ": ssh-ed25519 " + fingerprint + " (stranger@pgdeck-test)", e.getMessage());
            }
        }
    }

    /** The host would take the key, but the agent's user declines to confirm the signature (ssh-add -c). */
    @Test
    void aSignatureTheAgentRefusesIsNamedInTheError() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(tmp)) {
            agent.addWithConfirmation(ed25519);
            try (SshShell shell = agentShell(SSH, log, agent.env())) {
                HostCommandException e = assertThrows(HostCommandException.class,
                        () -> shell.run(HostCommand.of("true"), TIMEOUT));

                assertTrue(e.getMessage().contains("[The ssh-agent at " + agent.socket() + " refused to sign with"
                        + " ssh-ed25519 SHA256:"), e.getMessage());
            }
        }
    }

    @Test
    void withoutSshAuthSockTheErrorSaysSo() throws Exception {
        try (SshShell shell = agentShell(SSH, log, Map.of("HOME", tmp.toString()))) {
            HostCommandException e = assertThrows(HostCommandException.class,
                    () -> shell.run(HostCommand.of("true"), TIMEOUT));

            assertTrue(e.getMessage().startsWith("db1 has no key file, so pgdeck logs in with ssh-agent, but"
                    + " SSH_AUTH_SOCK is not set"), e.getMessage());
        }
    }

    @Test
    void aSocketWithNoAgentBehindItGivesAClearError() throws Exception {
        Path gone;
        try (SshAgentProcess agent = SshAgentProcess.start(tmp)) {
            gone = agent.socket();
        } // killed: nothing listens any more
        try (SshShell shell = agentShell(SSH, log, Map.of("SSH_AUTH_SOCK", gone.toString()))) {
            HostCommandException e = assertThrows(HostCommandException.class,
                    () -> shell.run(HostCommand.of("true"), TIMEOUT));

            assertTrue(e.getMessage().startsWith("Could not reach the ssh-agent at " + gone + " (SSH_AUTH_SOCK) to"
                    + " log in to db1: "), e.getMessage());
        }
    }

    @Test
    void anAgentThatNeverAnswersFailsTheLoginInsteadOfHangingIt() throws Exception {
        Path socket = tmp.resolve("silent.sock");
        SshTarget plain = SSH.target("db1", SSH.knownHosts());
        SshTarget target = new SshTarget(plain.name(), plain.address(), plain.port(), plain.user(), null,
                plain.knownHostsFile(), plain.userKnownHostsFiles());
        SshShell.Timeouts oneSecond = new SshShell.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofSeconds(15));
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            try (SshShell shell = new SshShell(target, log, NEVER_ASKED, PassphraseSource.NONE, oneSecond,
                    Map.of("SSH_AUTH_SOCK", socket.toString()))) {
                HostCommandException e = assertThrows(HostCommandException.class,
                        () -> shell.run(HostCommand.of("true"), TIMEOUT));

                assertEquals("Could not list the keys of the ssh-agent at " + socket + " to log in to db1: The"
                        + " ssh-agent at " + socket + " did not answer within 1 s when asked to list its keys",
                        e.getMessage());
            }
        }
    }

    @Test
    void theAgentIsKilledWhenTheTestEnds() throws Exception {
        SshAgentProcess agent = SshAgentProcess.start(tmp);
        assertTrue(agent.isAlive());
        agent.close();
        assertFalse(agent.isAlive());
    }
}
