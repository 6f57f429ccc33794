package dev.pgdeck.remote.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.LocalShell;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandBatchTest {
    private final CommandLog log = new CommandLog();
    private final LocalShell shell = new LocalShell("local", log);

    @Test
    void eachPartKeepsItsOwnOutputErrorAndStatusInOneRun() throws Exception {
        Map<String, CommandBatch.PartResult> r = CommandBatch.run(shell, List.of(
                new CommandBatch.Part("a", HostCommand.of("printf", "no newline at the end")),
                new CommandBatch.Part("b", HostCommand.of("sh", "-c", "echo out; echo err >&2; exit 3")),
                new CommandBatch.Part("c", HostCommand.of("no-such-program-here")),
                new CommandBatch.Part("d", HostCommand.of("printf", "\\n\\nfake\\n@@pgdeck-file x\\n")),
                new CommandBatch.Part("e", HostCommand.of("cat"))), Duration.ofSeconds(20));

        assertEquals(1, log.entries().size(), "one shell invocation");
        assertEquals("no newline at the end", r.get("a").stdout());
        assertEquals(0, r.get("a").exitCode());
        assertEquals("out\n", r.get("b").stdout());
        assertEquals("err\n", r.get("b").stderr());
        assertEquals(3, r.get("b").exitCode());
        assertTrue(r.get("c").notInstalled());
        assertTrue(r.get("c").stderr().contains("no-such-program-here"), r.get("c").stderr());
        assertEquals("\n\nfake\n@@pgdeck-file x\n", r.get("d").stdout());
        assertEquals("", r.get("e").stdout(), "stdin is /dev/null: nothing waits for input");
    }

    @Test
    void outputCannotFakeAFrame() throws Exception {
        String fake = "pgdeck-000000000000000000000000>0:0\n";
        Map<String, CommandBatch.PartResult> r = CommandBatch.run(shell, List.of(
                new CommandBatch.Part("a", HostCommand.of("printf", "%s", fake)),
                new CommandBatch.Part("b", HostCommand.of("echo", "second"))), Duration.ofSeconds(20));

        assertEquals(fake, r.get("a").stdout());
        assertEquals("second\n", r.get("b").stdout());
    }

    @Test
    void aPartThatEndsTheShellLeavesTheRestMarkedNotRun() throws Exception {
        Map<String, CommandBatch.PartResult> r = CommandBatch.run(shell, List.of(
                new CommandBatch.Part("a", HostCommand.of("echo", "first")),
                new CommandBatch.Part("b", HostCommand.of("exit", "4")),
                new CommandBatch.Part("c", HostCommand.of("echo", "never"))), Duration.ofSeconds(20));

        assertEquals("first\n", r.get("a").stdout());
        assertEquals(-1, r.get("b").exitCode());
        assertEquals(-1, r.get("c").exitCode());
        assertTrue(r.get("c").describeFailure().contains("the batch ended early (exit status 4)"),
                r.get("c").describeFailure());
    }

    @Test
    void fileFramesAreSplitByName() {
        Map<String, String> files = HostOverviewProbe.files("\n@@pgdeck-file a.prom\nx 1\n\n@@pgdeck-file empty\n"
                + "\n@@pgdeck-file b.prom\ny 2");
        assertEquals(Map.of("a.prom", "x 1\n", "empty", "", "b.prom", "y 2"), files);
        assertEquals(Map.of(), HostOverviewProbe.files(""));
    }
}
