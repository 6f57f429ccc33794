package dev.pgdeck.remote.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Its own class (and server): it stops the server, which would break any test running beside it. */
class SshReconnectTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void aDroppedConnectionFailsTheCommandAndTheNextRunReconnects() throws Exception {
        CommandLog log = new CommandLog();
        HostKeyPrompt neverAsked = key -> fail("asked for a known key: " + key);
        try (SshShell shell = new SshShell(SSH.target("db1", SSH.knownHosts()), log, neverAsked,
                PassphraseSource.NONE)) {
            assertEquals("up\n", shell.run(HostCommand.of("echo", "up"), TIMEOUT).stdout());
            CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return shell.run(HostCommand.of("sleep", "30"), Duration.ofSeconds(60));
                } catch (HostCommandException e) {
                    return e;
                }
            });
            Thread.sleep(700); // let the command start

            SSH.stop();
            Object outcome = running.get(15, TimeUnit.SECONDS);

            HostCommandException dropped = assertInstanceOf(HostCommandException.class, outcome);
            assertTrue(dropped.getMessage().contains("Lost the SSH connection to db1"), dropped.getMessage());
            assertTrue(log.entries().get(1).failed());

            HostCommandException down = assertThrows(HostCommandException.class,
                    () -> shell.run(HostCommand.of("echo", "down"), TIMEOUT));
            assertTrue(down.getMessage().contains("Could not connect to db1"), down.getMessage());

            SSH.restart();
            assertEquals("back\n", shell.run(HostCommand.of("echo", "back"), TIMEOUT).stdout());
        }
    }
}
