package dev.pgdeck.remote.testing;

import dev.pgdeck.remote.ssh.SshTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.forward.TcpipServerChannel;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * An embedded Apache MINA SSHD on a random loopback port for the tests of a class: a real generated host key,
 * public-key login only (an ed25519 client key written in OpenSSH format, as a user would have), and commands run by
 * {@code /bin/sh -c}, as on a real host. Register with {@code @RegisterExtension static}, or take it as a test
 * parameter.
 */
public final class SshServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    public static final String HOST = "127.0.0.1";

    private Path dir;
    private SimpleGeneratorHostKeyProvider hostKeys;
    private Path clientKey;
    private Path authorizedKeys;
    private Path knownHosts;
    private SshServer server;
    private int port;
    private final AtomicInteger forwardedChannels = new AtomicInteger();
    private final List<BuiltinSignatures> userAuthSignatures;
    private final Duration loginDelay;

    public SshServerExtension() {
        this(List.of(), Duration.ZERO);
    }

    private SshServerExtension(List<BuiltinSignatures> userAuthSignatures, Duration loginDelay) {
        this.userAuthSignatures = userAuthSignatures;
        this.loginDelay = loginDelay;
    }

    /** A server that takes {@code delay} to answer each public-key login, as a wedged PAM or LDAP lookup does. */
    public static SshServerExtension answeringLoginsAfter(Duration delay) {
        return new SshServerExtension(List.of(), delay);
    }

    /**
     * A server that verifies public-key logins only with these signature algorithms, as a server configured with
     * {@code PubkeyAcceptedAlgorithms} does (e.g. one that takes rsa-sha2-256 but not rsa-sha2-512).
     */
    public static SshServerExtension acceptingOnly(BuiltinSignatures... signatures) {
        return new SshServerExtension(List.of(signatures), Duration.ZERO);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("pgdeck-sshd");
        hostKeys = new SimpleGeneratorHostKeyProvider(dir.resolve("host-key.ser"));
        hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        hostKeys.setKeySize(256);
        writeClientKey();
        start(0);
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, knownHostsLine(hostKey()) + "\n");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == SshServerExtension.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return this;
    }

    /** Stops the server at once, dropping every connection as a crashed or rebooted host would. */
    public void stop() throws IOException {
        if (server != null) {
            server.stop(true);
            server = null;
        }
    }

    /** Starts the server again on the same port with the same host key, so that known_hosts still matches. */
    public void restart() throws IOException {
        stop();
        start(port);
    }

    public int port() {
        return port;
    }

    /** How many port-forward (direct-tcpip) channels the server has opened so far. */
    public int forwardedChannels() {
        return forwardedChannels.get();
    }

    public Path clientKey() {
        return clientKey;
    }

    /** A known_hosts file that trusts this server's host key (and nothing else). */
    public Path knownHosts() {
        return knownHosts;
    }

    public PublicKey hostKey() {
        return hostKeys.loadKeys(null).iterator().next().getPublic();
    }

    /** A line for {@code key} as OpenSSH writes it for this server: {@code [127.0.0.1]:port type base64}. */
    public String knownHostsLine(PublicKey key) {
        return "[" + HOST + "]:" + port + " " + PublicKeyEntry.toString(key);
    }

    /** A target for this server that reads no known_hosts but {@code pgdeckKnownHosts}, so ~/.ssh never matters. */
    public SshTarget target(String name, Path pgdeckKnownHosts) {
        return new SshTarget(name, HOST, port, System.getProperty("user.name"), clientKey, pgdeckKnownHosts,
                List.of());
    }

    private void start(int wanted) throws IOException {
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(HOST);
        sshd.setPort(wanted);
        sshd.setKeyPairProvider(hostKeys);
        AuthorizedKeysAuthenticator authorized = new AuthorizedKeysAuthenticator(authorizedKeys);
        sshd.setPublickeyAuthenticator(loginDelay.isZero() ? authorized : (user, key, session) -> {
            try {
                Thread.sleep(loginDelay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return authorized.authenticate(user, key, session);
        });
        if (!userAuthSignatures.isEmpty()) {
            sshd.setUserAuthFactories(List.of(new UserAuthPublicKeyFactory(List.copyOf(userAuthSignatures))));
        }
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        sshd.setHostBasedAuthenticator(null);
        // Local port forwards (direct-tcpip), as an OpenSSH server allows by default: JDBC goes through them.
        sshd.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
        sshd.addChannelListener(new ChannelListener() {
            @Override
            public void channelOpenSuccess(Channel channel) {
                if (channel instanceof TcpipServerChannel) {
                    forwardedChannels.incrementAndGet();
                }
            }
        });
        sshd.setCommandFactory((channel, command) ->
                new ProcessShellFactory(command, "/bin/sh", "-c", command).createShell(channel));
        sshd.start();
        server = sshd;
        port = sshd.getPort();
    }

    private void writeClientKey() throws IOException, GeneralSecurityException {
        clientKey = dir.resolve("id_ed25519");
        KeyPair pair = writeKeyPair(clientKey);
        authorizedKeys = dir.resolve("authorized_keys");
        Files.writeString(authorizedKeys, PublicKeyEntry.toString(pair.getPublic()) + " pgdeck-test\n");
    }

    /** Lets {@code key} log in too; MINA notices the changed authorized_keys file at the next login. */
    public void authorize(PublicKey key) throws IOException {
        Files.writeString(authorizedKeys, PublicKeyEntry.toString(key) + " pgdeck-test\n", StandardOpenOption.APPEND);
    }

    /** Lets the key of an authorized_keys line (a {@code .pub} file's content) log in too. */
    public void authorize(String publicKeyLine) throws IOException {
        Files.writeString(authorizedKeys, publicKeyLine.strip() + "\n", StandardOpenOption.APPEND);
    }

    /** Writes a new ed25519 private key to {@code file} in OpenSSH format, as {@code ssh-keygen} would. */
    public static KeyPair writeKeyPair(Path file) throws IOException, GeneralSecurityException {
        return writeKeyPair(file, null);
    }

    /** As {@link #writeKeyPair(Path)}, encrypted with {@code passphrase} (bcrypt and AES-256-CTR, as ssh-keygen). */
    public static KeyPair writeKeyPair(Path file, String passphrase) throws IOException, GeneralSecurityException {
        KeyPair pair = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setCipherName("AES");
            encryption.setCipherMode("CTR");
            encryption.setCipherType("256");
            encryption.setPassword(passphrase);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "pgdeck-test", encryption, out);
        }
        return pair;
    }
}
