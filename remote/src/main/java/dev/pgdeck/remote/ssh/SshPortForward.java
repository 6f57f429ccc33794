package dev.pgdeck.remote.ssh;

import dev.pgdeck.remote.host.HostCommandException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import net.schmizz.sshj.connection.Connection;
import net.schmizz.sshj.connection.channel.direct.LocalPortForwarder;
import net.schmizz.sshj.connection.channel.direct.Parameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local port forward over a host's one SSH connection ({@link SshShell}): a loopback-only port on this machine whose
 * every accepted connection becomes a direct-tcpip channel to {@code remoteHost:remotePort} as seen from the host,
 * e.g. {@code localhost:5432}. It is sshj's {@link LocalPortForwarder} channel, but each channel is opened on the
 * shell's connection of the moment: after the shell reconnects the same local port keeps working, so a JDBC pool
 * on it needs no rebuilding.
 */
public final class SshPortForward implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshPortForward.class);

    /** sshj's forwarded channel, with its start made callable from here. */
    private static final class Channel extends LocalPortForwarder.ForwardedChannel {
        Channel(Connection connection, Socket socket, Parameters parameters) {
            super(connection, socket, parameters);
        }

        @Override
        public void start() throws IOException {
            super.start();
        }
    }

    private final SshShell shell;
    private final String remoteHost;
    private final int remotePort;
    private final ServerSocket server;
    private final Thread acceptor;

    private SshPortForward(SshShell shell, String remoteHost, int remotePort, ServerSocket server) {
        this.shell = shell;
        this.remoteHost = remoteHost;
        this.remotePort = remotePort;
        this.server = server;
        this.acceptor = new Thread(this::accept, "ssh-forward-" + shell.hostName() + "-" + remotePort);
        acceptor.setDaemon(true);
    }

    /** Listens on a free loopback port at once; the SSH connection is made when the first client connects. */
    public static SshPortForward open(SshShell shell, String remoteHost, int remotePort) throws IOException {
        ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        SshPortForward forward = new SshPortForward(shell, remoteHost, remotePort, server);
        forward.acceptor.start();
        return forward;
    }

    public String localHost() {
        return server.getInetAddress().getHostAddress();
    }

    public int localPort() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Parameters params = new Parameters(localHost(), localPort(), remoteHost, remotePort);
                Channel channel = new Channel(shell.sshConnection(), socket, params);
                channel.open();
                channel.start();
            } catch (HostCommandException | IOException | RuntimeException e) {
                // The client (a JDBC driver) sees its connection closed and reports it; say why here.
                LOG.warn("forward to {}:{} on {} failed: {}", remoteHost, remotePort, shell.hostName(), e.getMessage());
                closeQuietly(socket);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to tell the client beyond the closed connection
        }
    }

    /** Stops listening; channels already open end with their clients (the pool closes them). */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // a listening socket that fails to close is gone anyway
        }
    }

    @Override
    public String toString() {
        return localHost() + ":" + localPort() + " -> " + shell.hostName() + " " + remoteHost + ":" + remotePort;
    }
}
