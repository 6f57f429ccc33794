package dev.pgdeck.remote.restore;

import static dev.pgdeck.remote.testing.ArchivingCluster.freePort;
import static dev.pgdeck.remote.testing.ArchivingCluster.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.model.restore.TargetCheck;
import dev.pgdeck.model.wal.WalFileName;
import dev.pgdeck.model.window.TimelineWindow;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.probe.HostOverviewProbe;
import dev.pgdeck.remote.probe.WalStops;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.testing.ArchivingCluster;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The recoverable window's two edges against a real PostgreSQL 15 archiving into a real archive, on timeline 1 and
 * after an in-place restore switched the instance to timeline 2: the latest time target is the last commit in the
 * archived WAL (read with pg_waldump over SSH), a drill 1 s before it reaches its target and 1 s after it is refused
 * before anything runs, although the archive's end lies seconds later; right after the switch the archiver lag is 0
 * segments and timeline 2's window ends where its WAL ends, not when its history file was archived.
 *
 * <p>Commit times are known exactly: {@code track_commit_timestamp} is on and autovacuum off, so the test's own
 * inserts are the only transactions that commit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecoverableWindowEndToEndTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();

    static final String VERIFY = "SELECT count(*) FROM t";
    static ArchivingCluster pg;
    /** One memory of read segments, as a console keeps per host across refreshes. */
    static final WalStops WAL_STOPS = new WalStops();

    @BeforeAll
    static void buildHost() throws Exception {
        pg = ArchivingCluster.start("window", Map.of("track_commit_timestamp", "on", "autovacuum", "off"));
        LoggedSql sql = pg.sql();
        sql.execute("CREATE TABLE t (id serial PRIMARY KEY, v text)");
        sql.execute("INSERT INTO t (v) SELECT 'a' FROM generate_series(1, 100)");
        pg.switchAndWait();
        pg.baseBackup("20251011-120000", "-Xstream", "-l", "window test");
        pg.awaitBackupHistories(1, "backup history file");
        commits("b", Duration.ofSeconds(4));
        pg.switchAndWait();
        commits("c", Duration.ofSeconds(2));
        new HostActions(pg.shell(), HostProfile.builtIn("sandbox"), pg.values(), Clock.systemUTC())
                .createRestorePoint("main", pg.port(), "mid");
        commits("d", Duration.ofSeconds(2));
        // idle: the segment is archived well after its last commit, as on any host between bursts of writes
        Thread.sleep(3000);
        pg.switchAndWait();
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    /** One row per commit every 100 ms for {@code length}. */
    static void commits(String v, Duration length) throws Exception {
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            pg.sql().execute("INSERT INTO t (v) VALUES ('" + v + "')");
            Thread.sleep(100);
        }
    }

    /** The commit time of the newest row, exactly as the server recorded it (microseconds). */
    static Instant lastCommit() throws Exception {
        return pg.sql().queryOne("SELECT pg_xact_commit_timestamp(xmin) FROM t ORDER BY id DESC LIMIT 1",
                r -> r.getObject(1, OffsetDateTime.class)).toInstant();
    }

    /** How many rows had committed by {@code t}: what a recovery to {@code t} must hold. */
    static long rowsCommittedBy(Instant t) throws Exception {
        return pg.sql().queryOne("SELECT count(*) FROM t WHERE pg_xact_commit_timestamp(xmin) <= '"
                + t.atOffset(ZoneOffset.UTC) + "'", r -> r.getLong(1));
    }

    private final CommandLog log = new CommandLog();

    private SshShell ssh() {
        return new SshShell(SSH.target("db1", SSH.knownHosts()), log, HostKeyPrompt.REFUSE, PassphraseSource.NONE);
    }

    private static RestoreWorkflow workflow(SshShell shell) {
        return new RestoreWorkflow(shell, HostProfile.builtIn("sandbox"), pg.values(), "main", pg.port(),
                Clock.systemUTC());
    }

    private InstanceRecovery read() throws Exception {
        try (SshShell shell = ssh()) {
            InstanceRecovery state = workflow(shell).read();
            assertEquals(Map.of(), state.errors());
            return state;
        }
    }

    private RestoreReport drill(RecoveryTarget target, int timeline) throws Exception {
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            BaseBackup backup = w.chooseBackup(state, target, timeline).orElseThrow(
                    () -> new AssertionError(w.explain(state, target, timeline).reason()));
            RestorePlan plan = w.plan(state, target, backup, timeline, RestoreMode.DRILL, freePort(), VERIFY);
            List<PreflightCheck> checks = w.preflight(plan, state, true);
            assertFalse(RestorePreflight.anyFailed(checks), checks.toString());
            return w.execute(plan, RestoreListener.NONE, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
        }
    }

    /** The time target 1 s before the edge is reached with exactly its rows; 1 s after is refused in words. */
    private void oneSecondEitherSideOf(Instant edge, TimelineWindow window, int timeline) throws Exception {
        Instant before = edge.minusSeconds(1);
        Instant after = edge.plusSeconds(1);
        assertTrue(after.isBefore(window.latest()), "1 s after the last commit is still inside the archive's end ("
                + window.latest() + "): a window ending there would have offered it");
        long expected = rowsCommittedBy(before);

        RestoreReport report = drill(RecoveryTarget.time(before.atOffset(ZoneOffset.UTC)), timeline);
        assertTrue(report.succeeded(), report.account());
        assertTrue(report.reached(), report.progress().toString());
        assertEquals(List.of(List.of(Long.toString(expected))), report.verifyRows());

        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            RecoveryTarget late = RecoveryTarget.time(after.atOffset(ZoneOffset.UTC));
            assertTrue(w.chooseBackup(state, late, timeline).isEmpty(), "no backup is offered for " + after);
            TargetCheck why = w.explain(state, late, timeline);
            assertTrue(why.reason().contains("is not before the last commit in the archived WAL"), why.reason());
            assertTrue(why.reason().contains("or \"latest\" to recover everything archived"), why.reason());
        }
    }

    @Test
    @Order(1)
    void onTimelineOneTheLatestTimeTargetIsTheLastArchivedCommit() throws Exception {
        Instant last = lastCommit();
        TimelineWindow w = read().facts().windows().timeline(1).orElseThrow();
        assertEquals(last, w.latestTimeTarget(), "the last commit, to the microsecond");
        assertTrue(w.latest().isAfter(last.plusSeconds(2)), "the archive ends later: " + w.latest());

        oneSecondEitherSideOf(last, w, 1);
    }

    @Test
    @Order(2)
    void afterAnInPlaceRestoreToTimelineTwoTheLagIsZeroAndTheWindowEndsWhereTheWalEnds() throws Exception {
        pg.closePool();
        RestoreReport restored;
        try (SshShell shell = ssh()) {
            RestoreWorkflow w = workflow(shell);
            InstanceRecovery state = w.read();
            RecoveryTarget target = RecoveryTarget.name("mid");
            RestorePlan plan = w.plan(state, target, w.chooseBackup(state, target, 1).orElseThrow(), 1,
                    RestoreMode.IN_PLACE, 0, VERIFY);
            restored = w.execute(plan, RestoreListener.NONE, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
        }
        assertTrue(restored.succeeded(), restored.account());
        assertEquals(2, restored.timeline());
        pg.openPool("window-tl2");
        waitFor(() -> pg.listArchive().contains("00000002.history"), "timeline 2's history archived");
        String lastArchived = pg.sql().queryOne("SELECT last_archived_wal FROM pg_stat_archiver", r -> r.getString(1));
        assertFalse(WalFileName.parse(lastArchived).isSegment() && lastArchived.startsWith("00000002"),
                "nothing of timeline 2 is archived yet: " + lastArchived);

        HostStatus status;
        try (SshShell shell = ssh()) {
            status = new HostOverviewProbe(shell, HostProfile.builtIn("sandbox"), pg.values())
                    .withWalStops(WAL_STOPS).probe(List.of(new HostOverviewProbe.Instance("main", pg.port())));
        }
        InstanceStatus main = status.instances().get(0);
        assertEquals(2, main.timeline());
        assertEquals(Long.valueOf(0), main.archiver().lagSegments(), "last archived " + lastArchived);
        assertEquals(Integer.valueOf(0), main.archiver().readyFiles());
        assertEquals(2, main.recoverableWindow().timeline());

        TimelineWindow t2 = read().facts().windows().timeline(2).orElseThrow();
        Instant historyArchived = pg.sql().queryOne("SELECT last_archived_time FROM pg_stat_archiver",
                r -> r.getObject(1, OffsetDateTime.class)).toInstant();
        assertTrue(t2.latest().isBefore(historyArchived.minusSeconds(5)),
                "timeline 2 ends with the WAL it can read (" + t2.latest() + "), not when " + lastArchived
                        + " was archived (" + historyArchived + ")");
        RecoveryTarget nearEnd = RecoveryTarget.time(t2.latest().minusSeconds(2).atOffset(ZoneOffset.UTC));
        RestoreReport report = drill(nearEnd, 2);
        assertTrue(report.succeeded(), report.account());
        assertTrue(report.reached(), report.progress().toString());
    }

    @Test
    @Order(3)
    void onTimelineTwoTheLatestTimeTargetIsItsLastArchivedCommit() throws Exception {
        commits("e", Duration.ofSeconds(2));
        Thread.sleep(3000);
        pg.switchAndWait();
        Instant last = lastCommit();
        TimelineWindow w = read().facts().windows().timeline(2).orElseThrow();
        assertEquals(last, w.latestTimeTarget());
        assertNotNull(w.latest());

        oneSecondEitherSideOf(last, w, 2);

        // the console's refresh reads only what is new: nothing, a second time
        HostStatus status;
        try (SshShell shell = ssh()) {
            HostOverviewProbe probe = new HostOverviewProbe(shell, HostProfile.builtIn("sandbox"), pg.values())
                    .withWalStops(WAL_STOPS);
            List<HostOverviewProbe.Instance> main = List.of(new HostOverviewProbe.Instance("main", pg.port()));
            probe.probe(main);
            int reads = WAL_STOPS.reads();
            status = probe.probe(main);
            assertEquals(reads, WAL_STOPS.reads(), "a refresh with nothing newly archived runs no pg_waldump");
        }
        InstanceStatus i = status.instances().get(0);
        assertEquals(Long.valueOf(0), i.archiver().lagSegments());
        assertEquals(last.atOffset(ZoneOffset.UTC), i.recoverableWindow().latestTimeTarget());
        assertTrue(i.recoverableWindow().latest().isAfter(i.recoverableWindow().latestTimeTarget()));
    }
}
