package dev.pgdeck.remote.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.pg.InstancePool;
import dev.pgdeck.remote.testing.TestSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 5: `sandbox start` right after a {@code kill -9} of the sandbox's postmaster said "migration
 * failed" (pg_ctl still saw the killed postmaster, so no server was started and the migration could not connect). It
 * must recover, or say exactly what happened.
 */
class KilledPostmasterTest {
    private static final Path ROOT = TestSandbox.root("killed-postmaster");

    @Test
    void startRightAfterAKillMinus9RecoversTheServer() throws Exception {
        CommandLog log = new CommandLog();
        SandboxSettings settings = new SandboxSettings(ROOT, TestSandbox.EVENTS, OptionalInt.empty());
        SandboxInstance first;
        try (SandboxHost host = new SandboxHost(settings, TestSandbox.environment(ROOT), log)) {
            // built afresh: a sandbox left by an earlier run may have its port taken since (a shared machine)
            first = host.reset(Progress.NONE);
        }
        try (SandboxHost host = new SandboxHost(settings, TestSandbox.environment(ROOT), log)) {
            host.start(Progress.NONE);
            Path pidFile = first.layout().dataDir().resolve("postmaster.pid");
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor(), "kill -9 " + pid);

            List<String> steps = new ArrayList<>();
            SandboxInstance again;
            try (SandboxHost restarted = new SandboxHost(settings, TestSandbox.environment(ROOT), log)) {
                again = restarted.start((step, fraction) -> steps.add(step));

                assertEquals(first.port(), again.port());
                try (InstancePool pool = InstancePool.open("killed-test", "127.0.0.1", again.port(), "analytics",
                        "postgres", false);
                     Connection c = pool.dataSource().getConnection();
                     ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM web_analytics.posthog_events")) {
                    assertTrue(rs.next() && rs.getLong(1) > 0, "the warehouse is there after crash recovery");
                }
                assertTrue(steps.stream().anyMatch(s -> s.startsWith("Starting PostgreSQL")), steps.toString());
                long newPid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
                assertTrue(newPid != pid, "a new postmaster runs");
            }
        }
    }
}
