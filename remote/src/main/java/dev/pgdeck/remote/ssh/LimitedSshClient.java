package dev.pgdeck.remote.ssh;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.transport.TransportException;

/**
 * An sshj client whose TCP connect and reading of the server's identification line (the banner) share one limit.
 * sshj reads the banner with no limit at all, so a port that accepts connections and never speaks (a wedged sshd,
 * a tarpit, a service that waits for the client to speak first) would hold the caller forever. Every later phase
 * has a limit of sshj's own, which {@link SshShell} sets: key exchange, login and channel requests wait at most the
 * transport's and the connection's timeouts, and a command its own.
 */
final class LimitedSshClient extends SSHClient {
    /** The server accepted the connection but sent no identification in time; the message is for the user. */
    static final class NoBannerException extends IOException {
        NoBannerException(String message) {
            super(message);
        }
    }

    private volatile boolean identified;

    LimitedSshClient(Config config) {
        super(config);
    }

    /** sshj calls this right after it has read the server's identification, before the key exchange starts. */
    @Override
    protected void doKex() throws TransportException {
        identified = true;
        super.doKex();
    }

    /** Whether the server identified itself (later failures belong to the key exchange or after). */
    boolean identified() {
        return identified;
    }

    /** How the connection is made: directly, or through a jump host's channel. */
    @FunctionalInterface
    interface Connector {
        void connect(LimitedSshClient client) throws IOException;
    }

    /**
     * Connects and exchanges keys. When {@code limit} passes before the server identified itself, the socket is closed
     * under sshj's blocked read and a {@link NoBannerException} naming {@code who} is thrown.
     */
    void connect(String address, int port, Duration limit, String who) throws IOException {
        setConnectTimeout((int) Math.min(Integer.MAX_VALUE, limit.toMillis()));
        connect(client -> client.connect(address, port), fired -> {
            Socket socket = getSocket();
            if (socket != null && socket.isConnected()) {
                fired.set(true); // before the close: the connecting thread sees it as soon as its read fails
                socket.close(); // ends sshj's read of the banner with a SocketException
            }
        }, limit, who);
    }

    /** As {@link #connect(String, int, Duration, String)}, through a jump host's direct-tcpip channel. */
    void connectVia(DirectConnection tunnel, Duration limit, String who) throws IOException {
        connect(client -> client.connectVia(tunnel), fired -> {
            fired.set(true);
            tunnel.close(); // ends sshj's read of the banner: the channel's stream ends
        }, limit, who);
    }

    /** Closes the connection under a blocked read, setting {@code fired} first when there is one to close. */
    @FunctionalInterface
    private interface Abort {
        void abort(AtomicBoolean fired) throws IOException;
    }

    private void connect(Connector connector, Abort abort, Duration limit, String who) throws IOException {
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean fired = new AtomicBoolean();
        CompletableFuture.runAsync(() -> {
            if (!finished.get() && !identified) {
                try {
                    abort.abort(fired);
                } catch (IOException | RuntimeException ignored) {
                    // closing failed: the connect fails or ends on its own limits
                }
            }
        }, CompletableFuture.delayedExecutor(limit.toMillis(), TimeUnit.MILLISECONDS));
        try {
            connector.connect(this);
        } catch (IOException e) {
            if (fired.get()) {
                throw new NoBannerException("no SSH banner from " + who + " within " + seconds(limit));
            }
            throw e;
        } finally {
            finished.set(true);
        }
    }

    /** Whether {@code e} (or a cause) is one of sshj's "Timeout expired" waits, i.e. a phase ran out of time. */
    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** {@code 10 s}, or {@code 0.5 s} below a second. */
    static String seconds(Duration limit) {
        long millis = limit.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
