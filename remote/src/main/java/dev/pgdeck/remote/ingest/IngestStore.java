package dev.pgdeck.remote.ingest;

import dev.pgdeck.remote.posthog.Position;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;

/** The engine's SQL on its one connection: the lock, runs, watermarks, the staging table, rejects. */
final class IngestStore {
    static final String STAGE = "pg_temp.pgdeck_ingest_stage";
    static final String COPY_STAGE = "COPY " + STAGE
            + " (event_id, event_name, properties, ts, user_id, session_id) FROM STDIN";

    private final Connection connection;

    IngestStore(Connection connection) {
        this.connection = connection;
    }

    /** One run per source and project at a time: a session lock, released when the connection closes. */
    boolean tryLock(String source, String projectId) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
            s.setString(1, "pgdeck-ingest:" + source + ":" + projectId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Released explicitly: a closed connection's backend may linger for a moment with the lock still held. */
    void unlock(String source, String projectId) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_unlock(hashtextextended(?, 0))")) {
            s.setString(1, "pgdeck-ingest:" + source + ":" + projectId);
            s.execute();
        }
    }

    /** Runs left 'running' were killed: nothing else can be running while we hold the lock. */
    void markInterrupted(String source, String projectId) throws SQLException {
        update("UPDATE ingest.runs SET status = 'interrupted', error = 'the run ended without finishing (killed?)'"
                + " WHERE source = ? AND project_id = ? AND status = 'running'", source, projectId);
    }

    long startRun(String source, String projectId) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "INSERT INTO ingest.runs (source, project_id) VALUES (?, ?) RETURNING id")) {
            s.setString(1, source);
            s.setString(2, projectId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    Position watermark(String source, String projectId) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT last_time, last_uuid FROM ingest.watermarks WHERE source = ? AND project_id = ?")) {
            s.setString(1, source);
            s.setString(2, projectId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Position.after(rs.getTimestamp(1).toInstant(), rs.getString(2)) : null;
            }
        }
    }

    /**
     * Settings of the engine's own session while it writes pages.
     *
     * <p>{@code synchronous_commit = off}: a page's commit returns before its WAL reaches the disk. Safe here because
     * a page's rows, its rejects, the run's counts and the watermark are one transaction, and WAL is replayed in order:
     * a crash can only lose the last few commits whole (rows and watermark together, never one without the other), and
     * the next run reads those pages again from the older watermark and inserts them with ON CONFLICT DO NOTHING. So a
     * lost commit costs a re-read, never an event lost or doubled; the database itself stays consistent (this is not
     * fsync = off). It spares one WAL flush wait per page. Only this session's commits are affected; reset after.
     *
     * <p>{@code temp_buffers}: the staging table is a temp table (no WAL); with room for a whole page in the session's
     * local buffers, a page is staged and read back without temp files. It can only be set before the session first
     * uses a temp table, so a pooled connection that already did keeps its setting.
     */
    static final String COPY_RAW = "COPY web_analytics.posthog_events"
            + " (event_id, event_name, properties, timestamp, user_id, session_id) FROM STDIN";

    /** Whether any of these event ids is in the raw table already. */
    boolean anyStored(List<String> ids) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM web_analytics.posthog_events WHERE event_id = ANY (?))")) {
            s.setArray(1, connection.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    void prepareSession() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET synchronous_commit = off");
            try {
                s.execute("SET temp_buffers = '64MB'");
            } catch (SQLException e) {
                // "cannot change after temp tables have been accessed": a reused session; the default works, slower.
            }
        }
    }

    void resetSession() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("RESET synchronous_commit");
        }
    }

    void createStage() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS pgdeck_ingest_stage (event_id text, event_name text,"
                    + " properties jsonb, ts timestamptz, user_id text, session_id text) ON COMMIT DELETE ROWS");
        }
    }

    /** Moves the staged rows into the raw table; returns how many were new. */
    long insertStaged() throws SQLException {
        try (Statement s = connection.createStatement()) {
            return s.executeLargeUpdate("INSERT INTO web_analytics.posthog_events"
                    + " (event_id, event_name, properties, timestamp, user_id, session_id)"
                    + " SELECT event_id, event_name, properties, ts, user_id, session_id FROM " + STAGE
                    + " ON CONFLICT (event_id) DO NOTHING");
        }
    }

    void insertRejects(long runId, String source, String projectId, List<PageBuffer.Reject> rejects)
            throws SQLException {
        if (rejects.isEmpty()) {
            return;
        }
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO ingest.rejects"
                + " (run_id, source, project_id, raw, reason) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (PageBuffer.Reject r : rejects) {
                s.setLong(1, runId);
                s.setString(2, source);
                s.setString(3, projectId);
                s.setString(4, r.raw());
                s.setString(5, r.reason());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Never moves back: a lookback or a backfill (--since) re-reads older events without losing the place. */
    void moveWatermark(long runId, String source, String projectId, Position last) throws SQLException {
        update("INSERT INTO ingest.watermarks AS w (source, project_id, last_time, last_uuid, run_id) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (source, project_id) DO UPDATE SET last_time = excluded.last_time,"
                + " last_uuid = excluded.last_uuid, run_id = excluded.run_id, updated_at = now()"
                + " WHERE excluded.last_time >= w.last_time",
                source, projectId, Timestamp.from(last.time()), last.uuid(), runId);
    }

    void recordProgress(long runId, IngestCounts c, Position watermark) throws SQLException {
        update("UPDATE ingest.runs SET fetched = ?, inserted = ?, duplicates = ?, rejected = ?, pages = ?,"
                + " watermark_time = coalesce(?, watermark_time), watermark_uuid = coalesce(?, watermark_uuid)"
                + " WHERE id = ?",
                c.fetched(), c.inserted(), c.duplicates(), c.rejected(), c.pages(),
                watermark == null ? null : Timestamp.from(watermark.time()),
                watermark == null ? null : watermark.uuid(), runId);
    }

    void finishRun(long runId, String status, double seconds, String error) throws SQLException {
        update("UPDATE ingest.runs SET status = ?, finished_at = now(), seconds = ?, error = ? WHERE id = ?",
                status, java.math.BigDecimal.valueOf(Math.round(seconds * 1000) / 1000.0), error, runId);
    }

    private void update(String sql, Object... params) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }
}
