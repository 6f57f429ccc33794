package dev.pgdeck.remote.ssh.agent;

import com.hierynomus.sshj.key.KeyAlgorithm;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * sshj's "publickey" login for one key held by an ssh-agent: like sshj's {@code AuthPublickey}, a request without
 * signature first, then, when the server answers that it would accept the key (SSH_MSG_USERAUTH_PK_OK), the same
 * request signed by the agent. For an RSA key each algorithm the client is configured for (rsa-sha2-512, rsa-sha2-256,
 * ssh-rsa) is tried in turn, and the agent is asked for a signature of that algorithm.
 * <p>
 * Ported from the approach of sshj master's {@code com.hierynomus.sshj.userauth.agent.AuthAgent} (sshj PR #1042,
 * Apache License 2.0). sshj 0.40.0's {@code KeyedAuthMethod} keeps its algorithm list private, so this class extends
 * {@link AbstractAuthMethod} and keeps its own.
 */
public final class AuthAgent extends AbstractAuthMethod {
    private final AgentClient agent;
    private final AgentIdentity identity;
    private Deque<KeyAlgorithm> algorithms; // the ones left to try, the current one first

    public AuthAgent(AgentClient agent, AgentIdentity identity) {
        super("publickey");
        this.agent = agent;
        this.identity = identity;
    }

    public AgentIdentity identity() {
        return identity;
    }

    @Override
    public void handle(Message message, SSHPacket packet) throws UserAuthException, TransportException {
        if (message == Message.USERAUTH_60) { // SSH_MSG_USERAUTH_PK_OK: the server would take this key
            params.getTransport().write(signedRequest());
        } else {
            super.handle(message, packet);
        }
    }

    /** The feeler: the key without a signature, so the agent signs only for a key the server accepts. */
    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return putPublicKey(super.buildReq().putBoolean(false));
    }

    /** Tries the key's next algorithm after a refusal (the server may not take rsa-sha2-512, say). */
    @Override
    public boolean shouldRetry() {
        if (algorithms == null) {
            return false;
        }
        algorithms.poll();
        return !algorithms.isEmpty();
    }

    private SSHPacket signedRequest() throws UserAuthException {
        SSHPacket request = putPublicKey(super.buildReq().putBoolean(true));
        byte[] signed = new Buffer.PlainBuffer()
                .putString(params.getTransport().getSessionID())
                .putBuffer(request)
                .getCompactData();
        String algorithm = algorithm().getKeyAlgorithm();
        byte[] signature;
        try {
            signature = agent.sign(identity, signed, signFlags(algorithm));
        } catch (IOException e) {
            throw new UserAuthException(e.getMessage(), e);
        }
        return request.putString(signature); // already the full SSH signature encoding: one string, as is
    }

    /** The public key as the agent gave it, byte for byte, under the algorithm being tried. */
    private SSHPacket putPublicKey(SSHPacket request) throws UserAuthException {
        return request.putString(algorithm().getKeyAlgorithm()).putString(identity.keyBlob());
    }

    private KeyAlgorithm algorithm() throws UserAuthException {
        if (algorithms == null) {
            KeyType type = KeyType.fromKey(identity.publicKey());
            try {
                algorithms = new ArrayDeque<>(params.getTransport().getClientKeyAlgorithms(type));
            } catch (TransportException e) {
                throw new UserAuthException("No signature algorithm is configured for the agent's " + identity.type()
                        + " key " + identity.fingerprint(), e);
            }
        }
        KeyAlgorithm current = algorithms.peek();
        if (current == null) {
            throw new UserAuthException("No signature algorithm left to try for " + identity.describe());
        }
        return current;
    }

    /** Which signature an RSA key should make; other key types have one signature algorithm and take no flag. */
    static int signFlags(String algorithm) {
        return switch (algorithm) {
            case "rsa-sha2-512" -> AgentClient.SSH_AGENT_RSA_SHA2_512;
            case "rsa-sha2-256" -> AgentClient.SSH_AGENT_RSA_SHA2_256;
            default -> 0;
        };
    }

    @Override
    public String toString() {
        return "ssh-agent key " + identity.describe();
    }
}
