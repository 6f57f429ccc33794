package dev.pgdeck.remote.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.testing.SshAgentProcess;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that verifies logins with rsa-sha2-256 only (no rsa-sha2-512, no ssh-rsa, no ed25519): sshj offers
 * rsa-sha2-512 first, is refused, then offers rsa-sha2-256, and the agent must sign with that algorithm
 * (SSH_AGENT_RSA_SHA2_256) for the login to succeed.
 */
class SshAgentRsaSha256Test {
    @RegisterExtension
    static final SshServerExtension SSH = SshServerExtension.acceptingOnly(BuiltinSignatures.rsaSHA256);

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void logsInWithTheAgentsRsaKeySignedWithRsaSha256() throws Exception {
        Path rsa = SshAgentProcess.generateKey(tmp.resolve("id_rsa"), "rsa", "rsa@pgdeck-test");
        SSH.authorize(SshAgentProcess.publicKeyLine(rsa));
        try (SshAgentProcess agent = SshAgentProcess.start(tmp)) {
            agent.add(rsa);
            try (SshShell shell = SshAgentLoginTest.agentShell(SSH, new CommandLog(), agent.env())) {
                assertEquals("sha2-256\n", shell.run(HostCommand.of("echo", "sha2-256"), TIMEOUT).stdout());
            }
        }
    }

    /** The restriction is real: an authorized ed25519 key is refused by this host. */
    @Test
    void refusesAnAuthorizedKeyOfAnotherAlgorithm() throws Exception {
        Path ed25519 = SshAgentProcess.generateKey(tmp.resolve("id_ed25519"), "ed25519", "ed@pgdeck-test");
        SSH.authorize(SshAgentProcess.publicKeyLine(ed25519));
        try (SshAgentProcess agent = SshAgentProcess.start(tmp)) {
            agent.add(ed25519);
            try (SshShell shell = SshAgentLoginTest.agentShell(SSH, new CommandLog(), agent.env())) {
                HostCommandException e = assertThrows(HostCommandException.class,
                        () -> shell.run(HostCommand.of("true"), TIMEOUT));

                assertTrue(e.getMessage().contains("refused the login"), e.getMessage());
            }
        }
    }
}
