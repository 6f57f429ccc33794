package dev.pgdeck.remote.ingest;

import dev.pgdeck.remote.posthog.EventSource;
import dev.pgdeck.remote.posthog.Page;
import dev.pgdeck.remote.posthog.Position;
import dev.pgdeck.remote.posthog.PostHogException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingestion run: pages from the source, each streamed through COPY into a staging table, then inserted with
 * ON CONFLICT DO NOTHING and the watermark moved in the same transaction. Killed at any moment and started again, a
 * run re-reads at most the uncommitted page, and no event lands twice.
 */
public final class IngestEngine {
    private static final Logger LOG = LoggerFactory.getLogger(IngestEngine.class);

    private final DataSource dataSource;
    private final EventSource source;
    private final IngestOptions options;
    private final IngestProgress progress;
    /** Pages read ahead while the one before is written (each about its rows as COPY text in memory). */
    private static final int READ_AHEAD = 1;
    private static final String UNIQUE_VIOLATION = "23505";

    private final Object pause = new Object();
    private volatile boolean cancelled;
    private boolean paused;

    public IngestEngine(DataSource dataSource, EventSource source, IngestOptions options, IngestProgress progress) {
        this.dataSource = dataSource;
        this.source = source;
        this.options = options;
        this.progress = progress;
    }

    /** Stops after the page under way is committed (pages read ahead are dropped, and read again next time). */
    public void cancel() {
        cancelled = true;
        synchronized (pause) {
            pause.notifyAll();
        }
    }

    /** Holds the run between two pages, with no transaction open, until {@link #resume()} or {@link #cancel()}. */
    public void pause() {
        synchronized (pause) {
            paused = true;
        }
    }

    public void resume() {
        synchronized (pause) {
            paused = false;
            pause.notifyAll();
        }
    }

    /** False once cancelled; waits while paused. */
    private boolean awaitResumed() throws InterruptedException {
        synchronized (pause) {
            while (paused && !cancelled) {
                pause.wait();
            }
        }
        return !cancelled;
    }

    /**
     * Where a run would start reading now: {@code since}, else the watermark less the lookback, else the beginning
     * ({@link Position#START}). For a preview of the first events; reads the watermark, writes nothing.
     */
    public Position plannedStart() throws IngestException {
        try (Connection connection = dataSource.getConnection()) {
            return start(new IngestStore(connection).watermark(source.name(), source.projectId()));
        } catch (SQLException e) {
            throw new IngestException("the warehouse could not be read: " + e.getMessage(), e);
        }
    }

    public IngestSummary run() throws IngestException {
        long started = System.nanoTime();
        String name = source.name();
        String project = source.projectId();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            IngestStore store = new IngestStore(connection);
            if (!store.tryLock(name, project)) {
                throw new IngestException("another ingest run for " + name + " project " + project
                        + " is under way on this warehouse", null);
            }
            try {
                return locked(connection, store, started);
            } finally {
                if (!connection.isClosed()) {
                    connection.setAutoCommit(true);
                    store.unlock(name, project);
                }
            }
        } catch (SQLException e) {
            throw new IngestException("the warehouse could not be used: " + e.getMessage(), e);
        }
    }

    private IngestSummary locked(Connection connection, IngestStore store, long started)
            throws SQLException, IngestException {
        String name = source.name();
        String project = source.projectId();
        store.markInterrupted(name, project);
        long runId = store.startRun(name, project);
        Position watermark = store.watermark(name, project);
        Run run = new Run(connection, store, runId, watermark);
        try {
            run.pages(start(watermark));
            List<QualityCheck> checks = run.upkeep();
            double seconds = (System.nanoTime() - started) / 1e9;
            String status = cancelled ? "interrupted" : "succeeded";
            store.finishRun(runId, status, seconds, cancelled ? "cancelled" : null);
            IngestCounts c = run.counts;
            return new IngestSummary(runId, c.fetched(), c.inserted(), c.duplicates(), c.rejected(), c.pages(),
                    seconds, run.watermark == null ? null : run.watermark.time(), checks);
        } catch (PostHogException | SQLException | RuntimeException e) {
            String message = describe(e) + "; the run stopped after " + run.counts.pages() + " committed pages ("
                    + run.counts.fetched() + " events), " + (run.watermark == null ? "with no watermark yet"
                    : "at watermark " + run.watermark.time() + " / " + run.watermark.uuid())
                    + "; the next run goes on from there";
            fail(connection, store, runId, started, message);
            throw new IngestException(message, e);
        }
    }

    private Position start(Position watermark) {
        if (options.since() != null) {
            return Position.from(options.since());
        }
        if (watermark == null) {
            return Position.START;
        }
        if (options.lookback().isZero()) {
            return watermark;
        }
        return Position.from(watermark.time().minus(options.lookback()));
    }

    private static void fail(Connection connection, IngestStore store, long runId, long started, String message) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            store.finishRun(runId, "failed", (System.nanoTime() - started) / 1e9, message);
        } catch (SQLException e) {
            LOG.warn("could not record the failed run {}: {}", runId, e.getMessage());
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback failed: {}", e.getMessage());
        }
    }

    private static String describe(Exception e) {
        if (e instanceof SQLException) {
            return "the warehouse refused a page: " + e.getMessage();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** The state of one run between pages. */
    private final class Run {
        private final Connection connection;
        private final IngestStore store;
        private final long runId;
        private final Set<LocalDate> touched = new HashSet<>();
        private IngestCounts counts = IngestCounts.ZERO;
        private Position watermark;

        Run(Connection connection, IngestStore store, long runId, Position watermark) {
            this.connection = connection;
            this.store = store;
            this.runId = runId;
            this.watermark = watermark;
        }

        void pages(Position from) throws SQLException, PostHogException {
            store.prepareSession();
            store.createStage();
            connection.setAutoCommit(false);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            boolean done = false;
            try (PageFetcher fetcher = new PageFetcher(source, from, READ_AHEAD + 2)) {
                fetcher.start();
                while (awaitResumed()) {
                    PageBuffer buffer = fetcher.next(() -> !cancelled);
                    if (buffer == null) {
                        break;
                    }
                    Page page = buffer.page();
                    write(copy, buffer, page);
                    fetcher.recycle(buffer);
                    if (!page.more()) {
                        break;
                    }
                }
                done = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelled = true;
                done = true;
            } finally {
                if (!done) {
                    // A page half written must not be committed by the switch back to autocommit.
                    rollbackQuietly(connection);
                }
                try {
                    connection.setAutoCommit(true);
                    store.resetSession();
                } catch (SQLException e) {
                    if (done) {
                        throw e;
                    }
                    LOG.warn("could not reset the ingest session after a failure: {}", e.getMessage());
                }
            }
        }

        /** One page, one transaction: its rows, its rejects, the watermark and the run's counts commit together. */
        private void write(CopyManager copy, PageBuffer buffer, Page page) throws SQLException {
            long staged;
            long inserted;
            if (buffer.staged() == 0) {
                staged = 0;
                inserted = 0;
            } else if (!store.anyStored(buffer.ids())) {
                // The common case, a page of new events: COPY straight into the raw table, no staging round trip.
                // A duplicate inside the page, or one written meanwhile by another source, fails the COPY with a
                // unique violation: back to the savepoint, and the page goes the staging way.
                Savepoint before = connection.setSavepoint();
                long direct = -1;
                try {
                    direct = buffer.copyInto(copy, IngestStore.COPY_RAW);
                    connection.releaseSavepoint(before);
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    connection.rollback(before);
                }
                if (direct >= 0) {
                    staged = direct;
                    inserted = direct;
                } else {
                    staged = buffer.copyInto(copy, IngestStore.COPY_STAGE);
                    inserted = store.insertStaged();
                }
            } else {
                // Events read again (lookback, backfill, a restarted run): staging and ON CONFLICT DO NOTHING.
                staged = buffer.copyInto(copy, IngestStore.COPY_STAGE);
                inserted = store.insertStaged();
            }
            List<PageBuffer.Reject> rejects = buffer.rejects();
            store.insertRejects(runId, source.name(), source.projectId(), rejects);
            if (page.last() != null) {
                store.moveWatermark(runId, source.name(), source.projectId(), page.last());
            }
            IngestCounts next = counts.plusPage(page.events(), inserted, staged - inserted, rejects.size());
            Position mark = page.last() != null && (watermark == null
                    || !page.last().time().isBefore(watermark.time())) ? page.last() : watermark;
            store.recordProgress(runId, next, mark);
            connection.commit();
            counts = next;
            watermark = mark;
            if (inserted > 0) {
                touched.addAll(buffer.days());
            }
            progress.pageCommitted(counts.pages(), counts.fetched(), counts.inserted(),
                    watermark == null ? null : watermark.time());
        }

        List<QualityCheck> upkeep() throws SQLException {
            if (touched.isEmpty()) {
                return List.of();
            }
            WarehouseUpkeep upkeep = new WarehouseUpkeep(connection);
            connection.setAutoCommit(false);
            upkeep.refreshMarts(WarehouseUpkeep.daysToRefresh(touched, options.martLookbackDays()));
            List<QualityCheck> checks = upkeep.check(runId, touched);
            connection.commit();
            connection.setAutoCommit(true);
            upkeep.vacuumAnalyze(counts.rejected() > 0);
            return checks;
        }
    }
}
