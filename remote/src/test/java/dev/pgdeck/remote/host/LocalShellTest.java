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
import java.util.List;
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

    /**
     * The command prints a line, then waits until the test has received that line (a flag file the consumer
     * creates), then prints more: it can only finish if the first line arrived while it was still running.
     */
    @Test
    void aCancelledCommandGetsToRunItsCleanupTrapBeforeItIsKilled() throws Exception {
        // the verify-backup script's pattern: a temporary copy removed by an EXIT trap, TERM turned into an exit
        Path copy = dir.resolve("unpacked-copy");
        Path trapsSet = dir.resolve("traps-set");
        Files.createDirectories(copy);
        HostCommand command = HostCommand.of("sh", "-c", "trap 'rm -rf \"$1\"' EXIT; trap 'exit 143' TERM;"
                + " sleep 600 & touch \"$2\"; wait", "sh", copy.toString(), trapsSet.toString());
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread running = new Thread(() -> {
            try {
                shell.run(command, Duration.ofMinutes(5));
            } catch (HostCommandException e) {
                failure.set(e);
            }
        });
        running.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(trapsSet) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(trapsSet), "the command started");
        running.interrupt(); // what a Cancel does
        running.join(Duration.ofSeconds(30).toMillis());
        assertTrue(failure.get() != null && failure.get().getMessage().contains("was cancelled"), String.valueOf(failure.get()));
        assertFalse(Files.exists(copy), "TERM first: the trap removed the copy before anything was killed");
    }

    @Test
    void streamsEachLineWhileTheCommandStillRuns() throws Exception {
        Path flag = dir.resolve("first line seen");
        HostCommand command = HostCommand.of("sh", "-c", "echo first; while [ ! -f \"$1\" ]; do sleep 0.05; done;"
                + " echo second; printf 'no newline' >&2", "sh", flag.toString());
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        CommandResult result;
        try (LocalShell shell = new LocalShell("local", log)) {
            result = shell.run(command, Duration.ofSeconds(20), line -> {
                lines.add(line);
                if (line.equals("first")) {
                    try {
                        Files.createFile(flag);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
        }
        assertEquals(0, result.exitCode());
        assertEquals("first\nsecond\n", result.stdout());
        assertEquals("no newline", result.stderr());
        assertEquals(List.of("first", "second"), lines.stream().filter(l -> !l.equals("no newline")).toList());
        assertTrue(lines.contains("no newline"), lines.toString());
    }
}
