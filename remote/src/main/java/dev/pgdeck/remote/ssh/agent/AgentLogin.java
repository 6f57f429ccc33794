package dev.pgdeck.remote.ssh.agent;

import dev.pgdeck.remote.host.HostCommandException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.UserAuthException;

/**
 * Logs an sshj client in with the keys of the user's ssh-agent (hosts configured without a key file), offering each
 * key in the agent's order as {@code ssh} does. The agent is reached through {@code SSH_AUTH_SOCK} of the environment
 * given, and only for the login: signatures are needed at no other time.
 */
public final class AgentLogin {
    public static final String SOCKET_VARIABLE = "SSH_AUTH_SOCK";

    private AgentLogin() {}

    /**
     * @param env the environment to find {@code SSH_AUTH_SOCK} in (the process's own, or a test's)
     * @param timeout how long to wait for each answer of the agent
     * @throws HostCommandException naming what was missing or refused: no agent, an agent without keys, or a server
     *                              that took none of them
     */
    public static void login(SSHClient client, String user, String hostName, Map<String, String> env,
                             Duration timeout) throws HostCommandException {
        String socket = env.get(SOCKET_VARIABLE);
        if (socket == null || socket.isBlank()) {
            throw new HostCommandException(hostName + " has no key file, so pgdeck logs in with ssh-agent, but "
                    + SOCKET_VARIABLE + " is not set: start an agent and ssh-add a key (or give the host a keyFile)");
        }
        Path path = Path.of(socket);
        AgentClient agent = connect(path, timeout, hostName);
        try {
            List<AgentIdentity> identities = identities(agent, hostName);
            List<String> failures = new ArrayList<>();
            for (AgentIdentity identity : identities) {
                try {
                    client.auth(user, new AuthAgent(agent, identity));
                    return;
                } catch (UserAuthException e) {
                    String why = reason(e);
                    failures.add(identity.describe() + (why == null ? "" : " [" + why + "]"));
                } catch (IOException e) {
                    throw new HostCommandException("Lost the connection to " + hostName + " while logging in as "
                            + user + " with ssh-agent: " + e.getMessage(), e);
                }
            }
            throw new HostCommandException(hostName + " refused the login as " + user + " with every key of the"
                    + " ssh-agent at " + path + ": " + String.join(", ", failures));
        } finally {
            closeQuietly(agent);
        }
    }

    private static void closeQuietly(AgentClient agent) {
        try {
            agent.close();
        } catch (IOException ignored) {
            // the login's outcome is known; a socket that will not close changes nothing
        }
    }

    private static AgentClient connect(Path socket, Duration timeout, String hostName) throws HostCommandException {
        try {
            return AgentClient.connect(socket, timeout);
        } catch (IOException | RuntimeException e) {
            throw new HostCommandException("Could not reach the ssh-agent at " + socket + " (" + SOCKET_VARIABLE
                    + ") to log in to " + hostName + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()), e);
        }
    }

    private static List<AgentIdentity> identities(AgentClient agent, String hostName) throws HostCommandException {
        List<AgentIdentity> identities;
        try {
            identities = agent.identities();
        } catch (IOException e) {
            throw new HostCommandException("Could not list the keys of the ssh-agent at " + agent.socket()
                    + " to log in to " + hostName + ": " + e.getMessage(), e);
        }
        if (identities.isEmpty()) {
            throw new HostCommandException("The ssh-agent at " + agent.socket() + " holds no keys pgdeck can use to"
                    + " log in to " + hostName + ": add one with ssh-add (or give the host a keyFile)");
        }
        return identities;
    }

    /** Why a key failed when it was more than a plain refusal (the agent would not sign, say); null otherwise. */
    private static String reason(UserAuthException e) {
        Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null ? null : cause.getMessage();
    }
}
