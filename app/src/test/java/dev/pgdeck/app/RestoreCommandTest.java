package dev.pgdeck.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.restore.RestoreWorkflow;
import dev.pgdeck.remote.sandbox.Progress;
import dev.pgdeck.remote.sandbox.SandboxHost;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `pgdeck restore` and `pgdeck drill` in-process against the tests' sandbox (real PostgreSQL, archive, backups). */
class RestoreCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run pgdeck(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new PgdeckCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void dryRunPrintsThePlanAsAShellScript() {
        Run r = pgdeck("restore", "--target-name", "sandbox-late-events-loaded", "--dry-run");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("#!/bin/sh\n"), r.out());
        assertTrue(r.out().contains("\nset -eu\n"));
        assertTrue(r.out().contains("# 2. Move the data directory aside"), r.out());
        assertTrue(r.out().contains(".pre-restore-"));
        assertTrue(r.out().contains("recovery_target_name = '\"'\"'sandbox-late-events-loaded'\"'\"'"), r.out());
        assertTrue(r.out().contains("recovery_target_timeline = '\"'\"'1'\"'\"'"), r.out());
        assertFalse(r.out().contains("rm -rf"), "an in-place restore removes nothing");
    }

    @Test
    void aTargetPastTheArchiveIsExplainedAndRefused() {
        String future = OffsetDateTime.now().plusHours(2).withNano(0).toString();
        Run r = pgdeck("restore", "--target-time", future, "--dry-run");
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.err().contains("is past the last archived WAL: the latest recoverable time is"), r.err());
        assertEquals("", r.out());

        Run bad = pgdeck("restore", "--target-time", "yesterday", "--dry-run");
        assertEquals(3, bad.exit());
        assertTrue(bad.err().contains("target time \"yesterday\" is not a time with a zone"), bad.err());
    }

    @Test
    void aTimeAfterTheLastArchivedCommitIsRefusedWithTheReasonAndLatestOffered() throws Exception {
        Instant edge;
        try (SandboxHost sandbox = SandboxHost.fromEnvironment(new CommandLog())) {
            var instance = sandbox.start(Progress.NONE);
            // a commit, then 3 s without one before its segment is archived: the archive ends after the last commit
            try (Connection c = sandbox.database("postgres").getConnection();
                 Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS pgdeck_cli_edge (at timestamptz)");
                st.execute("INSERT INTO pgdeck_cli_edge VALUES (now())");
                Thread.sleep(3000);
                st.execute("SELECT pg_switch_wal()");
            }
            var w = new RestoreWorkflow(sandbox.sandbox().shell(), HostProfile.builtIn(SandboxHost.PROFILE),
                    sandbox.profileValues(instance), instance.name(), instance.port(), Clock.systemUTC());
            long deadline = System.nanoTime() + 60_000_000_000L;
            Instant found = null;
            while (System.nanoTime() < deadline) {
                var state = w.read();
                var window = state.facts().windows().current().orElseThrow();
                found = window.latestTimeTarget();
                if (found != null && window.latest().isAfter(found.plusSeconds(2))) {
                    break;
                }
                Thread.sleep(200);
            }
            edge = found;
        }
        String after = edge.plusSeconds(1).atOffset(ZoneOffset.UTC).toString();
        Run late = pgdeck("restore", "--target-time", after, "--dry-run");
        assertEquals(3, late.exit(), late.out());
        assertTrue(late.err().contains("is not before the last commit in the archived WAL"), late.err());
        assertTrue(late.err().contains("or \"latest\" to recover everything archived"), late.err());

        String before = edge.minusSeconds(1).atOffset(ZoneOffset.UTC).toString();
        Run ok = pgdeck("restore", "--target-time", before, "--dry-run");
        assertEquals(0, ok.exit(), ok.err());
    }

    @Test
    void aTargetPostgreSQLWouldReadDifferentlyIsOneLineAndANonZeroExit() {
        Run big = pgdeck("drill", "--target-xid", "99999999999");
        assertEquals(3, big.exit(), big.out());
        assertEquals("pgdeck drill: target transaction id \"99999999999\" is larger than 4294967295 (2^32-1), the"
                + " largest transaction id; a pg_current_xact_id() value with an epoch is not one\n", big.err());
        assertEquals("", big.out());

        Run octal = pgdeck("restore", "--target-xid", "02577", "--dry-run");
        assertEquals(3, octal.exit(), octal.out());
        assertTrue(octal.err().contains("starts with 0, which PostgreSQL would read as an octal number"), octal.err());
        assertEquals(1, octal.err().lines().count(), octal.err());

        Run lsn = pgdeck("drill", "--target-lsn", "+0/15007A8");
        assertEquals(3, lsn.exit(), lsn.out());
        assertEquals(1, lsn.err().lines().count(), lsn.err());
    }

    @Test
    void dryRunFromResticRestoresBaseAndWalFromTheSnapshotsFirst() {
        Run r = pgdeck("restore", "--from-restic", "--immediate", "--dry-run");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("# 1. Create the restic staging directory"), r.out());
        assertTrue(r.out().contains("# 2. Restore the base backup from restic"), r.out());
        assertTrue(r.out().contains("# 3. Restore the WAL archive from restic"), r.out());
        assertTrue(r.out().contains("# 4. Stop the instance"), r.out());
        assertTrue(r.out().contains(" restore "), r.out());
        assertTrue(r.out().contains("# 16. Remove the restic staging copy") || r.out().contains("Remove the restic staging copy"));
    }

    @Test
    void pauseAtTargetPlansAPauseAndRefusesLatest() {
        Run r = pgdeck("restore", "--target-name", "sandbox-late-events-loaded", "--pause-at-target", "--dry-run");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("recovery_target_action = '\"'\"'pause'\"'\"'"), r.out());
        assertTrue(r.out().contains(". Wait until paused at the target"), r.out());
        assertFalse(r.out().contains("Clear the recovery settings"), r.out());

        Run latest = pgdeck("restore", "--latest", "--pause-at-target", "--dry-run");
        assertEquals(3, latest.exit(), latest.out());
        assertTrue(latest.err().contains("\"latest\" has no target to pause at"), latest.err());
    }

    @Test
    void zfsOnTheSandboxIsRefusedInWords() {
        Run r = pgdeck("restore", "--from-zfs", "--latest", "--dry-run");
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.err().contains("host profile sandbox lists ZFS snapshots but cannot clone one (it lacks"
                + " zfsSnapshotCreate, zfsRename, zfsSetMountpoint, zfsClone)"), r.err());
    }

    @Test
    void inPlaceNeedsTheInstanceNameTypedAgain() {
        Run r = pgdeck("restore", "--latest", "--in-place", "--confirm", "mian");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("confirm it with --confirm main (got \"mian\")"), r.err());
    }

    @Test
    void drillPrintsTheReportAsJson() throws Exception {
        Run r = pgdeck("drill", "--target-name", "sandbox-late-events-loaded", "--verify-sql",
                "SELECT datname FROM pg_database WHERE datname IN ('analytics', 'postgres') ORDER BY 1");
        assertEquals(0, r.exit(), r.err() + r.out());
        JsonNode json = Json.mapper().readTree(r.out());
        assertEquals("name sandbox-late-events-loaded", json.get("target").asText());
        assertTrue(json.get("reached").asBoolean());
        assertEquals(2, json.get("timeline").asInt());
        assertEquals("[[\"analytics\"],[\"postgres\"]]", json.get("verify").toString());
        assertTrue(json.get("rtoSeconds").asDouble() > 0);
        List<String> steps = StreamSupport.stream(json.get("steps").spliterator(), false)
                .map(s -> s.get("name").asText()).toList();
        assertEquals("Create the scratch data directory", steps.get(0));
        assertEquals("Remove the scratch copy", steps.get(steps.size() - 1));
        assertTrue(json.get("steps").get(0).has("seconds"));
        assertTrue(r.err().contains("pre-flight PASS  WAL continuity"), r.err());
    }

    @Test
    void anExitDuringADrillCancelsItAndWaitsForTheScratchCopyToGo() throws Exception {
        StringWriter err = new StringWriter();
        PrintWriter errs = new PrintWriter(err, true);
        try (RestoreHost h = RestoreHost.open(null, "main", new CommandLog(), errs)) {
            RestorePreparation.Prepared p = RestorePreparation.prepare(h,
                    dev.pgdeck.model.restore.RecoveryTarget.latest(), null, null,
                    dev.pgdeck.model.restore.RestoreMode.DRILL, null, null,
                    new RestorePreparation.Source(false, null, null));
            CancelOnExit guard = new CancelOnExit(errs);
            java.util.concurrent.CountDownLatch extracting = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicReference<dev.pgdeck.remote.restore.RestoreReport> report =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Thread run = new Thread(() -> report.set(guard.run(p.workflow(), p.plan(), event -> {
                if (event instanceof dev.pgdeck.remote.restore.RestoreEvent.CommandStarted c
                        && c.command().shellLine().contains("tar ")) {
                    extracting.countDown();
                }
            })));
            run.start();
            assertTrue(extracting.await(60, java.util.concurrent.TimeUnit.SECONDS), "the drill reached extraction");
            guard.onExit(); // what the shutdown hook does on Ctrl-C
            // by the time the hook returns, the drill's cleanup has run and its account was printed
            assertFalse(java.nio.file.Files.exists(java.nio.file.Path.of(p.plan().workDir())), p.plan().workDir());
            assertTrue(err.toString().contains("pgdeck: interrupted: cancelling"), err.toString());
            assertTrue(err.toString().contains("Cancelled by the operator."), err.toString());
            run.join(30_000);
            assertEquals(dev.pgdeck.remote.restore.RestoreReport.Outcome.CANCELLED, report.get().outcome());
        }
    }
}
