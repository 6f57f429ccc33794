package dev.pgdeck.remote.ssh.agent;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.common.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of a running ssh-agent over its unix-domain socket ({@code SSH_AUTH_SOCK}), speaking the agent protocol
 * (draft-miller-ssh-agent, OpenSSH's PROTOCOL.agent): list the identities, ask for a signature. Private keys never
 * leave the agent. One request at a time; the agent answers in order; each answer is awaited for a bounded time.
 * <p>
 * Ported from the approach of sshj master's {@code com.hierynomus.sshj.userauth.agent.AgentProxy} (sshj PR #1042,
 * Apache License 2.0, not in a released sshj yet), with the Java 16 unix socket API used directly.
 */
public final class AgentClient implements Closeable {
    static final byte SSH_AGENT_FAILURE = 5;
    static final byte SSH_AGENTC_REQUEST_IDENTITIES = 11;
    static final byte SSH_AGENT_IDENTITIES_ANSWER = 12;
    static final byte SSH_AGENTC_SIGN_REQUEST = 13;
    static final byte SSH_AGENT_SIGN_RESPONSE = 14;

    /** Sign flag: an {@code rsa-sha2-256} signature from an RSA key (without a flag: {@code ssh-rsa}, SHA-1). */
    public static final int SSH_AGENT_RSA_SHA2_256 = 2;
    /** Sign flag: an {@code rsa-sha2-512} signature from an RSA key. */
    public static final int SSH_AGENT_RSA_SHA2_512 = 4;

    /** OpenSSH's agent refuses longer messages; a longer length means a broken stream, not a big answer. */
    private static final int MAX_MESSAGE_LENGTH = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(AgentClient.class);

    private final Path socket;
    private final Duration timeout;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    /** Why the stream is out of step (a timeout, a cut): a late answer must never be taken for the next one. */
    private String broken; // guarded by this

    private AgentClient(Path socket, Duration timeout, SocketChannel channel, Selector selector, SelectionKey key) {
        this.socket = socket;
        this.timeout = timeout;
        this.channel = channel;
        this.selector = selector;
        this.key = key;
    }

    /**
     * Connects to the agent listening on {@code socket}.
     *
     * @param timeout how long to wait for each answer: an agent may ask its user to confirm a signature, but one that
     *                never answers must not hang the login
     */
    public static AgentClient connect(Path socket, Duration timeout) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = null;
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            selector = Selector.open();
            SelectionKey key = channel.register(selector, 0);
            return new AgentClient(socket, timeout, channel, selector, key);
        } catch (IOException | RuntimeException e) {
            if (selector != null) {
                selector.close();
            }
            channel.close();
            throw e;
        }
    }

    public Path socket() {
        return socket;
    }

    /**
     * The keys the agent holds, in the agent's order. Keys of a type sshj cannot read (security keys, certificates)
     * are left out: pgdeck could not offer them anyway.
     */
    public synchronized List<AgentIdentity> identities() throws IOException {
        Buffer.PlainBuffer answer = request(SSH_AGENTC_REQUEST_IDENTITIES, new byte[0], SSH_AGENT_IDENTITIES_ANSWER,
                "list its keys");
        List<AgentIdentity> identities = new ArrayList<>();
        try {
            long count = answer.readUInt32();
            for (long i = 0; i < count; i++) {
                byte[] blob = answer.readBytes();
                String comment = answer.readString();
                String type = new Buffer.PlainBuffer(blob).readString();
                PublicKey key;
                try {
                    key = new Buffer.PlainBuffer(blob).readPublicKey();
                } catch (Buffer.BufferException | RuntimeException e) {
                    LOG.debug("Skipping the agent's {} key \"{}\": {}", type, comment, e.toString());
                    continue;
                }
                identities.add(new AgentIdentity(type, key, blob, comment));
            }
        } catch (Buffer.BufferException e) {
            throw new IOException("The ssh-agent at " + socket + " sent a malformed list of keys", e);
        }
        return identities;
    }

    /**
     * Has the agent sign {@code data} with {@code identity}'s private key.
     *
     * @param flags {@link #SSH_AGENT_RSA_SHA2_256} or {@link #SSH_AGENT_RSA_SHA2_512} for RSA keys, else 0
     * @return the SSH signature as the agent encodes it ({@code string format, string blob}), to be sent as one string
     */
    public synchronized byte[] sign(AgentIdentity identity, byte[] data, int flags) throws IOException {
        byte[] body = new Buffer.PlainBuffer()
                .putBytes(identity.keyBlob())
                .putBytes(data)
                .putUInt32(flags & 0xffffffffL)
                .getCompactData();
        Buffer.PlainBuffer answer = request(SSH_AGENTC_SIGN_REQUEST, body, SSH_AGENT_SIGN_RESPONSE,
                "sign with " + identity.describe() + " (it may have been removed, or confirmation was refused)");
        try {
            return answer.readBytes();
        } catch (Buffer.BufferException e) {
            throw new IOException("The ssh-agent at " + socket + " sent a malformed signature answer", e);
        }
    }

    /** May be called from another thread to abandon a request that is waiting for the agent. */
    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }

    private Buffer.PlainBuffer request(byte type, byte[] body, byte expected, String what) throws IOException {
        if (broken != null) {
            throw new IOException("The connection to the ssh-agent at " + socket + " is no longer usable: " + broken);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer message = ByteBuffer.allocate(5 + body.length).putInt(1 + body.length).put(type).put(body).flip();
        try {
            byte answerType;
            byte[] contents;
            try {
                transfer(message, true, deadline, what);
                ByteBuffer header = transfer(ByteBuffer.allocate(5), false, deadline, what).flip();
                int length = header.getInt();
                answerType = header.get();
                if (length < 1 || length > MAX_MESSAGE_LENGTH) {
                    throw new IOException("The ssh-agent at " + socket + " sent a message of impossible length "
                            + length);
                }
                contents = transfer(ByteBuffer.allocate(length - 1), false, deadline, what).array();
            } catch (IOException e) {
                broken = e.getMessage();
                throw e;
            }
            if (answerType != expected) {
                throw new IOException(answerType == SSH_AGENT_FAILURE ? "The ssh-agent at " + socket + " refused to "
                        + what : "The ssh-agent at " + socket + " answered with unexpected message type " + answerType);
            }
            return new Buffer.PlainBuffer(contents);
        } catch (ClosedSelectorException e) {
            broken = "closed";
            throw new ClosedChannelException();
        }
    }

    /** Writes or fills {@code buffer} completely, waiting for the socket at most until {@code deadline}. */
    private ByteBuffer transfer(ByteBuffer buffer, boolean write, long deadline, String what) throws IOException {
        while (buffer.hasRemaining()) {
            int done = write ? channel.write(buffer) : channel.read(buffer);
            if (done < 0) {
                throw new EOFException("The ssh-agent at " + socket + " closed the connection when asked to " + what);
            }
            if (done == 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new IOException("The ssh-agent at " + socket + " did not answer within "
                            + timeout.toSeconds() + " s when asked to " + what);
                }
                key.interestOps(write ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
                selector.select(left);
                selector.selectedKeys().clear();
            }
        }
        return buffer;
    }
}
