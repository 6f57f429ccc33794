package dev.pgdeck.remote.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: every SSH phase has a limit. Servers that stall at each phase: one that accepts TCP and never speaks,
 * one that sends its banner and then nothing (the key exchange), and a real SSH server whose login hangs.
 */
class SshPhaseLimitTest {
    @RegisterExtension
    static final SshServerExtension SLOW_LOGIN = SshServerExtension.answeringLoginsAfter(Duration.ofSeconds(30));

    private static final Duration LIMIT = Duration.ofSeconds(2);
    private static final SshShell.Timeouts TIMEOUTS = new SshShell.Timeouts(LIMIT, LIMIT, Duration.ofSeconds(15));
    /** Scheduling on a loaded 2-core machine: how much later than its limit a phase may end. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    @TempDir
    Path tmp;

    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    @AfterEach
    void closeServer() throws IOException {
        if (server != null) {
            server.close();
        }
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    @Test
    void aServerThatNeverSendsItsBannerGivesUpWithinTheConnectLimit() throws Exception {
        int port = listen(null);
        SshShell shell = shell(port);

        long started = System.nanoTime();
        HostCommandException e = assertThrows(HostCommandException.class,
                () -> shell.run(HostCommand.of("true"), Duration.ofSeconds(60)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals("no SSH banner from silent (127.0.0.1 port " + port + ") within 2 s", e.getMessage());
        assertTrue(took.compareTo(LIMIT.minusMillis(100)) >= 0, "gave up before the limit: " + took);
        assertTrue(took.compareTo(LIMIT.plus(SLACK)) < 0, "took " + took);
        shell.close();
    }

    @Test
    void aServerThatStopsAfterItsBannerGivesUpWithinTheKeyExchangeLimit() throws Exception {
        int port = listen("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
        SshShell shell = shell(port);

        long started = System.nanoTime();
        HostCommandException e = assertThrows(HostCommandException.class,
                () -> shell.run(HostCommand.of("true"), Duration.ofSeconds(60)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals("the key exchange with silent (127.0.0.1 port " + port + ") did not finish within 2 s",
                e.getMessage());
        assertTrue(took.compareTo(LIMIT.plus(LIMIT).plus(SLACK)) < 0, "took " + took);
        shell.close();
    }

    @Test
    void aLoginThatHangsGivesUpWithinTheLoginLimit() {
        SshTarget target = SLOW_LOGIN.target("db1", SLOW_LOGIN.knownHosts());
        SshShell shell = new SshShell(target, new CommandLog(), HostKeyPrompt.REFUSE, PassphraseSource.NONE, TIMEOUTS);

        long started = System.nanoTime();
        HostCommandException e = assertThrows(HostCommandException.class,
                () -> shell.run(HostCommand.of("true"), Duration.ofSeconds(60)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals("db1 did not answer the login as " + target.user() + " within 2 s", e.getMessage());
        assertTrue(took.compareTo(LIMIT.plus(LIMIT).plus(SLACK)) < 0, "took " + took);
        shell.close();
    }

    private SshShell shell(int port) {
        SshTarget target = new SshTarget("silent", "127.0.0.1", port, "nobody", null, tmp.resolve("known_hosts"),
                List.of());
        return new SshShell(target, new CommandLog(), HostKeyPrompt.REFUSE, PassphraseSource.NONE, TIMEOUTS);
    }

    /** A plain TCP server that accepts, optionally writes {@code banner}, then reads and ignores everything. */
    private int listen(String banner) throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.add(socket);
                    if (banner != null) {
                        socket.getOutputStream().write(banner.getBytes(StandardCharsets.US_ASCII));
                        socket.getOutputStream().flush();
                    }
                    Thread reader = new Thread(() -> {
                        try (InputStream in = socket.getInputStream()) {
                            in.transferTo(java.io.OutputStream.nullOutputStream());
                        } catch (IOException ignored) {
                            // the client gave up
                        }
                    });
                    reader.setDaemon(true);
                    reader.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
        assertFalse(server.isClosed());
        return server.getLocalPort();
    }
}
