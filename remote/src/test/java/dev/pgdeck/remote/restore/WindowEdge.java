package dev.pgdeck.remote.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.TargetCheck;
import dev.pgdeck.model.window.TimelineWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The recoverable window's end checked against a real server, shared by the tests that do it on different hosts
 * (embedded SSH server, real OpenSSH host): commits at known times, the newest commit time as the server recorded it,
 * and the "1 s either side of the latest time target" check. Needs {@code track_commit_timestamp = on} and a table
 * {@code t (id serial, v text)} whose inserts are the only commits.
 */
final class WindowEdge {
    /** Runs one statement on the live instance. */
    @FunctionalInterface
    interface Exec {
        void run(String sql) throws Exception;
    }

    /** Runs one query on the live instance and returns its single value as text. */
    @FunctionalInterface
    interface Query {
        String one(String sql) throws Exception;
    }

    /** A drill to {@code target} on the timeline under test, with the verification {@link #COUNT}. */
    @FunctionalInterface
    interface Drill {
        RestoreReport to(RecoveryTarget target) throws Exception;
    }

    /** Something done with a freshly connected workflow (read state, choose, explain). */
    @FunctionalInterface
    interface WithWorkflow {
        void accept(RestoreWorkflow w) throws Exception;
    }

    /** Opens a workflow on the host, hands it to {@code use}, closes its connection. */
    @FunctionalInterface
    interface Workflows {
        void open(WithWorkflow use) throws Exception;
    }

    static final String COUNT = "SELECT count(*) FROM t";

    private WindowEdge() {
    }

    /** One row per commit every 100 ms for {@code length}. */
    static void commits(Exec sql, String v, Duration length) throws Exception {
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            sql.run("INSERT INTO t (v) VALUES ('" + v + "')");
            Thread.sleep(100);
        }
    }

    /** The commit time of the newest row, exactly as the server recorded it (microseconds). */
    static Instant lastCommit(Query sql) throws Exception {
        return Instant.parse(sql.one("SELECT to_char(pg_xact_commit_timestamp(xmin) AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM t ORDER BY id DESC LIMIT 1"));
    }

    /** How many rows had committed by {@code t}: what a recovery to {@code t} must hold. */
    static long rowsCommittedBy(Query sql, Instant t) throws Exception {
        return Long.parseLong(sql.one("SELECT count(*) FROM t WHERE pg_xact_commit_timestamp(xmin) <= '"
                + t.atOffset(ZoneOffset.UTC) + "'"));
    }

    /** The time target 1 s before the edge is reached with exactly its rows; 1 s after is refused in words. */
    static void oneSecondEitherSideOf(Instant edge, TimelineWindow window, int timeline, Query sql, Drill drill,
                                      Workflows workflows) throws Exception {
        Instant before = edge.minusSeconds(1);
        Instant after = edge.plusSeconds(1);
        assertTrue(after.isBefore(window.latest()), "1 s after the last commit is still inside the archive's end ("
                + window.latest() + "): a window ending there would have offered it");
        long expected = rowsCommittedBy(sql, before);

        RestoreReport report = drill.to(RecoveryTarget.time(before.atOffset(ZoneOffset.UTC)));
        assertTrue(report.succeeded(), report.account());
        assertTrue(report.reached(), report.progress().toString());
        assertEquals(List.of(List.of(Long.toString(expected))), report.verifyRows());

        workflows.open(w -> {
            InstanceRecovery state = w.read();
            RecoveryTarget late = RecoveryTarget.time(after.atOffset(ZoneOffset.UTC));
            assertTrue(w.chooseBackup(state, late, timeline).isEmpty(), "no backup is offered for " + after);
            TargetCheck why = w.explain(state, late, timeline);
            assertTrue(why.reason().contains("is not before the last commit in the archived WAL"), why.reason());
            assertTrue(why.reason().contains("or \"latest\" to recover everything archived"), why.reason());
        });
    }
}
