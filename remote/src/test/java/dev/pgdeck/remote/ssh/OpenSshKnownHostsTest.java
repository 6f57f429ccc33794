package dev.pgdeck.remote.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.pg.CurrentUser;
import dev.pgdeck.remote.testing.ArchivingCluster;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: known_hosts against the system's OpenSSH sshd with two host keys (RSA and ED25519), as most real hosts
 * have: a host known by either key connects (an RSA line makes sshj ask for rsa-sha2, not the ED25519 key it would
 * prefer), a stale line is a changed key, and the fingerprint pgdeck shows is the one `ssh-keygen -lf` prints on the
 * host. Needs root (the login) and /usr/sbin/sshd, else skipped.
 */
class OpenSshKnownHostsTest {
    private static final HostCommand ECHO = HostCommand.of("echo", "real sshd");
    private static final String HOST = "127.0.0.1";

    @TempDir
    static Path dir;

    private static Process sshd;
    private static int port;
    private static Path clientKey;

    @BeforeAll
    static void startSshd() throws Exception {
        Assumptions.assumeTrue(CurrentUser.isRoot() && Files.isExecutable(Path.of("/usr/sbin/sshd"))
                && Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "needs root, sshd and ssh-keygen");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        for (String type : List.of("rsa", "ed25519")) {
            run("ssh-keygen", "-q", "-t", type, "-N", "", "-f", dir.resolve("host_" + type).toString());
        }
        clientKey = dir.resolve("id_ed25519");
        Path authorized = dir.resolve("authorized_keys");
        Files.writeString(authorized, PublicKeyEntry.toString(SshServerExtension.writeKeyPair(clientKey).getPublic())
                + "\n");
        Files.createDirectories(Path.of("/run/sshd")); // the privilege separation directory, made at boot
        port = ArchivingCluster.freePort();
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "ListenAddress " + HOST + ":" + port,
                "HostKey " + dir.resolve("host_rsa"),
                "HostKey " + dir.resolve("host_ed25519"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorized,
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                ""));
        sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            assertTrue(sshd.isAlive(), () -> "sshd exited: " + read(dir.resolve("sshd.log")));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 200);
                return;
            } catch (IOException notYet) {
                assertTrue(System.nanoTime() < deadline, () -> "sshd did not listen: " + read(dir.resolve("sshd.log")));
                Thread.sleep(20);
            }
        }
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) {
            sshd.destroy();
            sshd.waitFor();
        }
    }

    @Test
    void aHostKnownByItsRsaKeyOnlyConnects() throws Exception {
        assertEquals("real sshd\n", echo(knownHosts("rsa")));
    }

    @Test
    void aHostKnownByItsEd25519KeyOnlyConnects() throws Exception {
        assertEquals("real sshd\n", echo(knownHosts("ed25519")));
    }

    @Test
    void aHashedLineAsSshKeygenWritesItConnects() throws Exception {
        Path file = dir.resolve("known_hosts_hashed");
        Files.writeString(file, "[" + HOST + "]:" + port + " " + Files.readString(dir.resolve("host_ed25519.pub")));
        run("ssh-keygen", "-q", "-H", "-f", file.toString());
        assertEquals("real sshd\n", echo(file));
    }

    @Test
    void aStaleRsaLineIsAChangedKey() throws Exception {
        Path stale = dir.resolve("stale_rsa");
        run("ssh-keygen", "-q", "-t", "rsa", "-N", "", "-f", stale.toString());
        Path file = dir.resolve("known_hosts_stale");
        Files.writeString(file, "[" + HOST + "]:" + port + " " + Files.readString(dir.resolve("stale_rsa.pub")));

        HostKeyRejectedException e = assertThrows(HostKeyRejectedException.class,
                () -> echo(file));
        assertEquals(HostKeyRejectedException.Reason.CHANGED, e.reason());
        assertTrue(e.getMessage().contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), e.getMessage());
    }

    @Test
    void theFingerprintShownIsTheOneSshKeygenPrintsOnTheHost() throws Exception {
        List<UnknownHostKey> asked = new ArrayList<>();
        Path file = dir.resolve("known_hosts_empty");
        SshTarget target = new SshTarget("real", HOST, port, "root", clientKey, file, List.of());
        try (SshShell shell = new SshShell(target, new CommandLog(), key -> asked.add(key) && false,
                PassphraseSource.NONE)) {
            assertThrows(HostKeyRejectedException.class, shell::checkHostKey);
        }
        String keygen = run("ssh-keygen", "-l", "-E", "sha256", "-f",
                dir.resolve("host_" + (asked.get(0).keyType().equals("ssh-rsa") ? "rsa" : "ed25519") + ".pub")
                        .toString());
        assertEquals(keygen.split(" ")[1], asked.get(0).fingerprint(), keygen);
    }

    private static String echo(Path knownHosts) throws Exception {
        try (SshShell shell = shell(knownHosts)) {
            return shell.run(ECHO, Duration.ofSeconds(30)).stdout();
        }
    }

    private static SshShell shell(Path knownHosts) {
        SshTarget target = new SshTarget("real", HOST, port, "root", clientKey, knownHosts, List.of());
        return new SshShell(target, new CommandLog(), HostKeyPrompt.REFUSE, PassphraseSource.NONE);
    }

    private static Path knownHosts(String type) throws IOException {
        Path file = dir.resolve("known_hosts_" + type);
        Files.writeString(file, "[" + HOST + "]:" + port + " " + Files.readString(dir.resolve("host_" + type + ".pub")));
        return file;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
