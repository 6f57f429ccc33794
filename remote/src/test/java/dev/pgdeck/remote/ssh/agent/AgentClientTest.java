package dev.pgdeck.remote.ssh.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.remote.testing.SshAgentProcess;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent protocol against a real OpenSSH ssh-agent; signatures are checked with the JDK's own verifiers. */
class AgentClientTest {
    @TempDir
    static Path dir;

    private static SshAgentProcess agent;
    private static Path ed25519;
    private static Path rsa;

    private static final Duration AGENT_TIMEOUT = Duration.ofSeconds(10);
    private static final byte[] DATA = "data the server would have us sign".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void startAgent() throws Exception {
        ed25519 = SshAgentProcess.generateKey(dir.resolve("id_ed25519"), "ed25519", "ed-key@pgdeck-test");
        rsa = SshAgentProcess.generateKey(dir.resolve("id_rsa"), "rsa", "rsa-key@pgdeck-test");
        agent = SshAgentProcess.start(dir);
        agent.add(ed25519);
        agent.add(rsa);
    }

    @AfterAll
    static void stopAgent() throws Exception {
        agent.close();
        assertFalse(agent.isAlive(), "the agent was killed");
    }

    @Test
    void listsTheAgentsKeysWithTheirBlobsAndComments() throws Exception {
        try (AgentClient client = AgentClient.connect(agent.socket(), AGENT_TIMEOUT)) {
            List<AgentIdentity> identities = client.identities();

            assertEquals(2, identities.size(), identities.toString());
            assertIdentity(identities.get(0), ed25519, "ssh-ed25519", "ed-key@pgdeck-test");
            assertIdentity(identities.get(1), rsa, "ssh-rsa", "rsa-key@pgdeck-test");
            assertTrue(identities.get(1).publicKey() instanceof RSAPublicKey, identities.get(1).publicKey().toString());
        }
    }

    private static void assertIdentity(AgentIdentity identity, Path key, String type, String comment)
            throws Exception {
        String[] pub = SshAgentProcess.publicKeyLine(key).split(" ");
        assertEquals(type, identity.type());
        assertEquals(type, pub[0]);
        assertArrayEquals(Base64.getDecoder().decode(pub[1]), identity.keyBlob(), "the blob as the .pub file has it");
        assertEquals(comment, identity.comment());
        String keygen = sshKeygenFingerprint(key);
        assertTrue(keygen.contains(" " + identity.fingerprint() + " "), keygen + " vs " + identity.fingerprint());
    }

    @Test
    void signsWithRsaSha256WhenAskedWithItsFlag() throws Exception {
        assertRsaSignature(AgentClient.SSH_AGENT_RSA_SHA2_256, "rsa-sha2-256", "SHA256withRSA");
    }

    @Test
    void signsWithRsaSha512WhenAskedWithItsFlag() throws Exception {
        assertRsaSignature(AgentClient.SSH_AGENT_RSA_SHA2_512, "rsa-sha2-512", "SHA512withRSA");
    }

    @Test
    void signsWithSha1SshRsaWithoutAFlag() throws Exception {
        assertRsaSignature(0, "ssh-rsa", "SHA1withRSA");
    }

    private static void assertRsaSignature(int flags, String format, String jcaAlgorithm) throws Exception {
        try (AgentClient client = AgentClient.connect(agent.socket(), AGENT_TIMEOUT)) {
            AgentIdentity key = client.identities().get(1);

            DataInputStream signature = new DataInputStream(new ByteArrayInputStream(client.sign(key, DATA, flags)));

            assertEquals(format, new String(readString(signature), StandardCharsets.UTF_8));
            byte[] blob = readString(signature);
            assertEquals(0, signature.available(), "nothing after the signature blob");
            assertTrue(verifies(jcaAlgorithm, key.publicKey(), DATA, blob), format + " verifies");
            byte[] other = Arrays.copyOf(DATA, DATA.length + 1);
            assertFalse(verifies(jcaAlgorithm, key.publicKey(), other, blob), "and only for the data signed");
        }
    }

    @Test
    void signsWithEd25519() throws Exception {
        try (AgentClient client = AgentClient.connect(agent.socket(), AGENT_TIMEOUT)) {
            AgentIdentity key = client.identities().get(0);

            DataInputStream signature = new DataInputStream(new ByteArrayInputStream(client.sign(key, DATA, 0)));

            assertEquals("ssh-ed25519", new String(readString(signature), StandardCharsets.UTF_8));
            byte[] blob = readString(signature);
            assertTrue(verifies("Ed25519", jdkEd25519(key.keyBlob()), DATA, blob), "ed25519 verifies");
            assertFalse(verifies("Ed25519", jdkEd25519(key.keyBlob()), "else".getBytes(StandardCharsets.UTF_8), blob));
        }
    }

    @Test
    void anAgentThatDoesNotHoldTheKeyRefusesToSign() throws Exception {
        Path stranger = SshAgentProcess.generateKey(dir.resolve("id_stranger"), "ed25519", "stranger");
        AgentIdentity known;
        try (AgentClient client = AgentClient.connect(agent.socket(), AGENT_TIMEOUT)) {
            known = client.identities().get(0);
        }
        byte[] blob = Base64.getDecoder().decode(SshAgentProcess.publicKeyLine(stranger).split(" ")[1]);
        AgentIdentity notHeld = new AgentIdentity("ssh-ed25519", known.publicKey(), blob, "stranger");
        try (AgentClient client = AgentClient.connect(agent.socket(), AGENT_TIMEOUT)) {
            IOException e = assertThrows(IOException.class, () -> client.sign(notHeld, DATA, 0));

            assertTrue(e.getMessage().contains("refused to sign") && e.getMessage().contains(notHeld.fingerprint()),
                    e.getMessage());
            assertEquals(2, client.identities().size(), "the connection is still usable after a refusal");
        }
    }

    @Test
    void anEmptyAgentListsNoKeys(@TempDir Path other) throws Exception {
        try (SshAgentProcess empty = SshAgentProcess.start(other);
             AgentClient client = AgentClient.connect(empty.socket(), AGENT_TIMEOUT)) {
            assertEquals(List.of(), client.identities());
        }
    }

    @Test
    void aSocketWithoutAgentFailsToConnect(@TempDir Path other) {
        Path missing = other.resolve("no-agent.sock");

        assertThrows(IOException.class, () -> AgentClient.connect(missing, AGENT_TIMEOUT));
    }

    /** A hung agent (the socket accepts, nothing ever answers) must not hang the login: the wait is bounded. */
    @Test
    void anAgentThatNeverAnswersFailsWithATimeout(@TempDir Path other) throws Exception {
        Path socket = other.resolve("silent.sock");
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            try (AgentClient client = AgentClient.connect(socket, Duration.ofSeconds(1))) {
                IOException e = assertThrows(IOException.class, client::identities);

                assertEquals("The ssh-agent at " + socket + " did not answer within 1 s when asked to list its keys",
                        e.getMessage());
                IOException again = assertThrows(IOException.class, client::identities);
                assertTrue(again.getMessage().contains("no longer usable"), "a late answer is never read as the next"
                        + " one: " + again.getMessage());
            }
        }
    }

    @Test
    void rsaKeysAreAskedForTheSignatureOfTheAlgorithmTried() {
        assertEquals(AgentClient.SSH_AGENT_RSA_SHA2_512, AuthAgent.signFlags("rsa-sha2-512"));
        assertEquals(AgentClient.SSH_AGENT_RSA_SHA2_256, AuthAgent.signFlags("rsa-sha2-256"));
        assertEquals(0, AuthAgent.signFlags("ssh-rsa"));
        assertEquals(0, AuthAgent.signFlags("ssh-ed25519"));
    }

    private static boolean verifies(String algorithm, PublicKey key, byte[] data, byte[] signature)
            throws Exception {
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(key);
        verifier.update(data);
        return verifier.verify(signature);
    }

    /** The JDK's Ed25519 key from an SSH blob (string "ssh-ed25519", string 32-byte key) behind the X.509 prefix. */
    private static PublicKey jdkEd25519(byte[] sshBlob) throws Exception {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(sshBlob));
        readString(in);
        byte[] raw = readString(in);
        byte[] x509 = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(raw));
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    }

    private static byte[] readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    private static String sshKeygenFingerprint(Path key) throws Exception {
        Process process = new ProcessBuilder("ssh-keygen", "-l", "-f", key + ".pub").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);
        return out;
    }
}
