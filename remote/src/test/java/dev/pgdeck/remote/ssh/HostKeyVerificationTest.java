package dev.pgdeck.remote.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.ssh.HostKeyRejectedException.Reason;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class HostKeyVerificationTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final HostCommand ECHO = HostCommand.of("echo", "connected");

    @TempDir
    Path tmp;

    private final CommandLog log = new CommandLog();
    private final List<UnknownHostKey> asked = new ArrayList<>();

    private HostKeyPrompt answering(boolean trust) {
        return key -> {
            asked.add(key);
            return trust;
        };
    }

    @Test
    void unknownHostDeclinedIsRefusedAndNothingIsWritten() {
        Path knownHosts = tmp.resolve("pgdeck").resolve("known_hosts");
        try (SshShell shell = new SshShell(SSH.target("db1", knownHosts), log, answering(false),
                PassphraseSource.NONE)) {
            HostKeyRejectedException e = assertThrows(HostKeyRejectedException.class, () -> shell.run(ECHO, TIMEOUT));

            assertEquals(Reason.UNKNOWN_DECLINED, e.reason());
            assertTrue(e.getMessage().contains("db1"), e.getMessage());
        }
        assertEquals(1, asked.size());
        UnknownHostKey key = asked.get(0);
        assertEquals(SshServerExtension.HOST, key.host());
        assertEquals(SSH.port(), key.port());
        assertEquals("ecdsa-sha2-nistp256", key.keyType());
        // MINA computes the fingerprint on its own: the prompt shows what `ssh-keygen -lf` would
        assertEquals(KeyUtils.getFingerPrint(SSH.hostKey()), key.fingerprint());
        assertTrue(key.fingerprint().matches("SHA256:[A-Za-z0-9+/]{43}"), key.fingerprint());
        assertFalse(Files.exists(knownHosts), "a declined key must not be saved");
        assertTrue(log.entries().get(0).failed());
    }

    @Test
    void unknownHostAcceptedIsSavedAndNotAskedAgain() throws Exception {
        Path knownHosts = tmp.resolve("pgdeck").resolve("known_hosts");
        try (SshShell shell = new SshShell(SSH.target("db1", knownHosts), log, answering(true),
                PassphraseSource.NONE)) {
            assertEquals("connected\n", shell.run(ECHO, TIMEOUT).stdout());
        }
        assertEquals(1, asked.size());
        assertEquals(List.of(SSH.knownHostsLine(SSH.hostKey())), Files.readAllLines(knownHosts));

        HostKeyPrompt mustNotAsk = key -> fail("asked again for a saved key: " + key);
        try (SshShell again = new SshShell(SSH.target("db1", knownHosts), log, mustNotAsk, PassphraseSource.NONE)) {
            assertEquals("connected\n", again.run(ECHO, TIMEOUT).stdout());
        }
    }

    @Test
    void changedHostKeyIsRefusedWithoutAsking() throws Exception {
        PublicKey stale = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256).getPublic();
        Path knownHosts = tmp.resolve("known_hosts");
        String before = SSH.knownHostsLine(stale) + "\n";
        Files.writeString(knownHosts, before);
        try (SshShell shell = new SshShell(SSH.target("db1", knownHosts), log, answering(true),
                PassphraseSource.NONE)) {
            HostKeyRejectedException e = assertThrows(HostKeyRejectedException.class, () -> shell.run(ECHO, TIMEOUT));

            assertEquals(Reason.CHANGED, e.reason());
            String message = e.getMessage();
            assertTrue(message.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") && message.contains("man-in-the-middle"), message);
            assertTrue(message.contains(KeyUtils.getFingerPrint(SSH.hostKey())), "offered key: " + message);
            assertTrue(message.contains(KeyUtils.getFingerPrint(stale)), "known key: " + message);
        }
        assertTrue(asked.isEmpty(), "a changed key must never be offered for trust");
        assertEquals(before, Files.readString(knownHosts));
    }

    @Test
    void changedKeyInTheUsersKnownHostsIsRefusedToo() throws Exception {
        PublicKey stale = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256).getPublic();
        Path userKnownHosts = tmp.resolve("user_known_hosts");
        Files.writeString(userKnownHosts, SSH.knownHostsLine(stale) + "\n");
        Path ownKnownHosts = tmp.resolve("known_hosts");
        SshTarget plain = SSH.target("db1", ownKnownHosts);
        SshTarget target = new SshTarget(plain.name(), plain.address(), plain.port(), plain.user(), plain.keyFile(),
                ownKnownHosts, List.of(userKnownHosts));
        try (SshShell shell = new SshShell(target, log, answering(true), PassphraseSource.NONE)) {
            HostKeyRejectedException e = assertThrows(HostKeyRejectedException.class, () -> shell.run(ECHO, TIMEOUT));

            assertEquals(Reason.CHANGED, e.reason());
            assertTrue(e.getMessage().contains(userKnownHosts.toString()), e.getMessage());
        }
        assertTrue(asked.isEmpty());
        assertFalse(Files.exists(ownKnownHosts));
    }

    @Test
    void keyKnownOnlyToTheUsersKnownHostsIsTrusted() throws Exception {
        Path ownKnownHosts = tmp.resolve("known_hosts");
        SshTarget plain = SSH.target("db1", ownKnownHosts);
        SshTarget target = new SshTarget(plain.name(), plain.address(), plain.port(), plain.user(), plain.keyFile(),
                ownKnownHosts, List.of(tmp.resolve("missing"), SSH.knownHosts()));
        try (SshShell shell = new SshShell(target, log, answering(false), PassphraseSource.NONE)) {
            assertEquals("connected\n", shell.run(ECHO, TIMEOUT).stdout());
        }
        assertTrue(asked.isEmpty());
        assertFalse(Files.exists(ownKnownHosts));
    }

    // Issue 13: known_hosts as OpenSSH reads it.

    @Test
    void nobodyAskedSaysHowToTrustTheKeyHeadless() {
        Path knownHosts = tmp.resolve("known_hosts");
        try (SshShell shell = new SshShell(SSH.target("db1", knownHosts), log, HostKeyPrompt.REFUSE,
                PassphraseSource.NONE)) {
            HostKeyRejectedException e = assertThrows(HostKeyRejectedException.class, () -> shell.run(ECHO, TIMEOUT));

            assertEquals(Reason.UNKNOWN_DECLINED, e.reason());
            assertTrue(e.getMessage().endsWith(KeyUtils.getFingerPrint(SSH.hostKey()) + ") is not trusted yet: run"
                    + " `pgdeck hosts trust db1` or accept it in the console"), e.getMessage());
            assertFalse(e.getMessage().contains("declined"), e.getMessage());
        }
    }

    @Test
    void aRevokedKeyInTheUsersFileWinsOverATrustedLineInPgdecksOwnFile() throws Exception {
        Path own = tmp.resolve("known_hosts");
        Files.writeString(own, SSH.knownHostsLine(SSH.hostKey()) + "\n");
        Path user = tmp.resolve("user_known_hosts");
        Files.writeString(user, "# revoked after the leak\n@revoked * " + PublicKeyEntry.toString(SSH.hostKey()) + "\n");

        HostKeyRejectedException e = refused(own, List.of(user));

        assertEquals(Reason.REVOKED, e.reason());
        assertTrue(e.getMessage().contains("@revoked in " + user + " line 2"), e.getMessage());
    }

    @Test
    void aRevokedLineWinsBeforeOrAfterATrustedLineInTheSameFile() throws Exception {
        String revoked = "@revoked [127.0.0.1]:" + SSH.port() + " " + PublicKeyEntry.toString(SSH.hostKey());
        String trusted = SSH.knownHostsLine(SSH.hostKey());
        for (List<String> order : List.of(List.of(revoked, trusted), List.of(trusted, revoked))) {
            Path own = tmp.resolve("known_hosts");
            Files.write(own, order);

            assertEquals(Reason.REVOKED, refused(own, List.of()).reason(), order.toString());
        }
        assertTrue(asked.isEmpty());
    }

    @Test
    void hashedNamesAsSshKeygenWritesThemAreRead() throws Exception {
        Path own = tmp.resolve("known_hosts");
        Files.writeString(own, SSH.knownHostsLine(SSH.hostKey()) + "\n");
        hash(own);
        try (SshShell shell = new SshShell(SSH.target("db1", own), log, answering(false), PassphraseSource.NONE)) {
            assertEquals("connected\n", shell.run(ECHO, TIMEOUT).stdout());
        }
        assertTrue(asked.isEmpty());

        PublicKey stale = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256).getPublic();
        Files.writeString(own, SSH.knownHostsLine(stale) + "\n");
        hash(own);
        assertEquals(Reason.CHANGED, refused(own, List.of()).reason());
    }

    @Test
    void aKnownHostOfferingAKeyTypeItHasNoLineForHasChanged() throws Exception {
        PublicKey rsa = KeyUtils.generateKeyPair("ssh-rsa", 2048).getPublic();
        Path own = tmp.resolve("known_hosts");
        Files.writeString(own, SSH.knownHostsLine(rsa) + "\n");

        HostKeyRejectedException e = refused(own, List.of());

        assertEquals(Reason.CHANGED, e.reason());
        assertTrue(e.getMessage().contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), e.getMessage());
        assertTrue(e.getMessage().contains("ecdsa-sha2-nistp256 " + KeyUtils.getFingerPrint(SSH.hostKey())),
                e.getMessage());
        assertTrue(e.getMessage().contains("ssh-rsa " + KeyUtils.getFingerPrint(rsa) + " (" + own + " line 1)"),
                e.getMessage());
        assertTrue(asked.isEmpty(), "never an Accept? prompt");
    }

    @Test
    void aCertAuthorityLineIsExplainedAndNeverTakenForTheHostsKey() throws Exception {
        Path own = tmp.resolve("known_hosts");
        // the CA key happens to be the host's own key: read as a plain line, it would be trusted
        String ca = "@cert-authority [127.0.0.1]:" + SSH.port() + " " + PublicKeyEntry.toString(SSH.hostKey());
        Files.writeString(own, ca + "\n");

        HostKeyRejectedException e = refused(own, List.of());

        assertEquals(Reason.UNKNOWN_DECLINED, e.reason());
        assertEquals(1, asked.size(), "unknown, so the user may still trust the host's own key");
        assertTrue(e.getMessage().contains("@cert-authority, " + own + " line 1")
                && e.getMessage().contains("does not check host certificates"), e.getMessage());
        assertEquals(ca + "\n", Files.readString(own));
    }

    private HostKeyRejectedException refused(Path own, List<Path> userFiles) {
        SshTarget plain = SSH.target("db1", own);
        SshTarget target = new SshTarget(plain.name(), plain.address(), plain.port(), plain.user(), plain.keyFile(),
                own, userFiles);
        try (SshShell shell = new SshShell(target, log, answering(false), PassphraseSource.NONE)) {
            return assertThrows(HostKeyRejectedException.class, () -> shell.run(ECHO, TIMEOUT));
        }
    }

    /** {@code ssh-keygen -H}: OpenSSH's own hashing of the host names in place. */
    private static void hash(Path file) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-H", "-f", file.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        String hashed = Files.readString(file);
        assertTrue(hashed.startsWith("|1|") && !hashed.contains("127.0.0.1"), hashed);
    }
}
