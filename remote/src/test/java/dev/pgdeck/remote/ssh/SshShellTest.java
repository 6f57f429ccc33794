package dev.pgdeck.remote.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pgdeck.model.CommandLogEntry;
import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SshShellTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final HostKeyPrompt NEVER_ASKED = key -> fail("the prompt must not be shown for " + key);

    @TempDir
    Path tmp;

    private final CommandLog log = new CommandLog();

    private SshShell shell(Path knownHosts) {
        return new SshShell(SSH.target("db1", knownHosts), log, NEVER_ASKED, PassphraseSource.NONE);
    }

    @Test
    void runsACommandAndKeepsStdoutStderrAndExitStatusApart() throws Exception {
        HostCommand command = HostCommand.of("sh", "-c", "echo out; echo err >&2; exit 3");
        try (SshShell shell = shell(SSH.knownHosts())) {
            CommandResult result = shell.run(command, TIMEOUT);

            assertEquals("out\n", result.stdout());
            assertEquals("err\n", result.stderr());
            assertEquals(3, result.exitCode());
            assertEquals("hello world\n", shell.run(HostCommand.of("echo", "hello world"), TIMEOUT).stdout());
        }
        List<CommandLogEntry> entries = log.entries();
        assertEquals(2, entries.size());
        CommandLogEntry first = entries.get(0);
        assertEquals(CommandLogEntry.Kind.COMMAND, first.kind());
        assertEquals("db1", first.host());
        assertEquals(command.shellLine(), first.text());
        assertEquals("exit 3", first.outcome());
        assertTrue(first.failed());
        assertEquals("exit 0", entries.get(1).outcome());
        assertFalse(entries.get(1).failed());
    }

    @Test
    void hostileArgumentsReachTheHostAsLiterals() throws Exception {
        Path marker = Path.of("/tmp/pwned-" + UUID.randomUUID());
        List<String> values = List.of("main; touch " + marker, "$(touch " + marker + ")", "`touch " + marker + "`",
                "'; touch " + marker + "; '", "main && touch " + marker, "main\ntouch " + marker);
        try (SshShell shell = shell(SSH.knownHosts())) {
            for (String value : values) {
                CommandResult result = shell.run(HostCommand.of("echo", value), TIMEOUT);

                assertEquals(value + "\n", result.stdout(), "echoed back unchanged");
                assertFalse(Files.exists(marker), "the host ran part of " + value);
            }
        }
    }

    @Test
    void stopsACommandThatRunsPastItsTimeout() throws Exception {
        try (SshShell shell = shell(SSH.knownHosts())) {
            long start = System.nanoTime();
            HostCommandException e = assertThrows(HostCommandException.class,
                    () -> shell.run(HostCommand.of("sleep", "5"), Duration.ofSeconds(1)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(e.getMessage().contains("timeout"), e.getMessage());
            assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "waited " + took);
            assertEquals("timed out after PT1S", log.entries().get(0).outcome());
            assertTrue(log.entries().get(0).failed());
            // the connection is still good for the next command
            assertEquals("next\n", shell.run(HostCommand.of("echo", "next"), TIMEOUT).stdout());
        }
    }

    @Test
    void refusesALoginWithAKeyTheHostDoesNotAccept() throws Exception {
        Path otherKey = tmp.resolve("not-authorized");
        SshServerExtension.writeKeyPair(otherKey);
        try (SshShell shell = new SshShell(withKey(otherKey), log, NEVER_ASKED, PassphraseSource.NONE)) {
            HostCommandException e = assertThrows(HostCommandException.class,
                    () -> shell.run(HostCommand.of("true"), TIMEOUT));

            assertTrue(e.getMessage().contains("db1") && e.getMessage().contains(otherKey.toString()), e.getMessage());
            assertTrue(log.entries().get(0).failed());
        }
    }

    @Test
    void asksForThePassphraseOfAnEncryptedKeyOnce() throws Exception {
        Path key = tmp.resolve("id_encrypted");
        SSH.authorize(SshServerExtension.writeKeyPair(key, "correct horse").getPublic());
        List<Path> asked = new ArrayList<>();
        PassphraseSource passphrases = file -> {
            asked.add(file);
            return "correct horse".toCharArray();
        };
        try (SshShell shell = new SshShell(withKey(key), log, NEVER_ASKED, passphrases)) {
            assertEquals("unlocked\n", shell.run(HostCommand.of("echo", "unlocked"), TIMEOUT).stdout());
            assertEquals("again\n", shell.run(HostCommand.of("echo", "again"), TIMEOUT).stdout());
        }
        assertEquals(List.of(key), asked);
    }

    @Test
    void aWrongPassphraseFailsWithAMessageNamingTheKey() throws Exception {
        Path key = tmp.resolve("id_encrypted");
        SSH.authorize(SshServerExtension.writeKeyPair(key, "correct horse").getPublic());
        try (SshShell shell = new SshShell(withKey(key), log, NEVER_ASKED, file -> "wrong".toCharArray())) {
            HostCommandException e = assertThrows(HostCommandException.class,
                    () -> shell.run(HostCommand.of("true"), TIMEOUT));

            assertTrue(e.getMessage().contains(key.toString()) && e.getMessage().contains("passphrase"),
                    e.getMessage());
        }
    }

    /** Issue 13: the command line has no passphrase source; sshj used to fail on the null with an NPE. */
    @Test
    void anEncryptedKeyWithoutAPassphraseFailsWithOneLine() throws Exception {
        Path key = tmp.resolve("id_encrypted");
        SSH.authorize(SshServerExtension.writeKeyPair(key, "correct horse").getPublic());
        try (SshShell shell = new SshShell(withKey(key), log, NEVER_ASKED, PassphraseSource.NONE)) {
            HostCommandException e = assertThrows(HostCommandException.class,
                    () -> shell.run(HostCommand.of("true"), TIMEOUT));

            assertTrue(e.getMessage().contains(key.toString()) && e.getMessage().contains("is encrypted and no"
                    + " passphrase was given"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    private static SshTarget withKey(Path key) {
        SshTarget target = SSH.target("db1", SSH.knownHosts());
        return new SshTarget(target.name(), target.address(), target.port(), target.user(), key,
                target.knownHostsFile(), target.userKnownHostsFiles());
    }

    /**
     * The command prints a line, then waits until the test has received that line (a flag file the consumer
     * creates), then prints more: it can only finish if the first line arrived while it was still running.
     */
    @Test
    void streamsEachLineWhileTheCommandStillRuns() throws Exception {
        Path flag = tmp.resolve("first line seen");
        HostCommand command = HostCommand.of("sh", "-c", "echo first; while [ ! -f \"$1\" ]; do sleep 0.05; done;"
                + " echo second; printf 'no newline' >&2", "sh", flag.toString());
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        CommandResult result;
        try (SshShell shell = shell(SSH.knownHosts())) {
            result = shell.run(command, TIMEOUT, line -> {
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
