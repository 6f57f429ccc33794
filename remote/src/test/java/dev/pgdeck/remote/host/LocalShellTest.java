package dev.pgdeck.remote.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandLogEntry;
import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalShellTest {
    private final CommandLog log = new CommandLog();
    private final LocalShell shell = new LocalShell("local", log);

    @TempDir
    Path dir;

    @Test
    void returnsOutputsAndExitStatusAndLogsTheCommand() throws Exception {
        CommandResult result = shell.run(HostCommand.of("sh", "-c", "echo out; echo err >&2; exit 3"),
                Duration.ofSeconds(10));
        assertEquals(3, result.exitCode());
        assertEquals("out\n", result.stdout());
        assertEquals("err\n", result.stderr());
        CommandLogEntry entry = log.entries().get(0);
        assertEquals("sh -c 'echo out; echo err >&2; exit 3'", entry.text());
        assertEquals("exit 3", entry.outcome());
        assertTrue(entry.failed());
    }

    @Test
    void aHostileValueStaysALiteral() throws Exception {
        Path pwned = dir.resolve("pwned");
        String hostile = "main; touch " + pwned;
        CommandResult result = shell.run(HostCommand.of("echo", hostile), Duration.ofSeconds(10));
        assertEquals(hostile + "\n", result.stdout());
        assertFalse(Files.exists(pwned));
    }

    @Test
    void aCommandPastItsTimeoutIsStopped() {
        long started = System.nanoTime();
        HostCommandException e = assertThrows(HostCommandException.class,
                () -> shell.run(HostCommand.of("sleep", "30"), Duration.ofMillis(300)));
        assertTrue(e.getMessage().contains("ran past its timeout"), e.getMessage());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(10).toNanos());
        assertEquals("timed out after PT0.3S", log.entries().get(0).outcome());
    }
}
