package dev.pgdeck.remote.charts;

import com.zaxxer.hikari.HikariDataSource;
import dev.pgdeck.model.CommandLogEntry.Kind;
import dev.pgdeck.remote.host.CommandLog;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import javax.sql.DataSource;

/**
 * One run of an analyst's SQL on the read-only pool ({@code analytics_readonly}, read-only transactions, the pool's
 * statement timeout). {@link #run()} on a worker thread; {@link #cancel()} from any other thread cancels the statement
 * on the server (the driver's cancel request, as {@code pg_cancel_backend} would). The connection is evicted from the
 * pool afterwards, so nothing the SQL changed in its session (a {@code SET}) outlives it.
 */
public final class AdHocQuery {
    public static final int MAX_ROWS = 10_000;

    private final DataSource dataSource;
    private final CommandLog log;
    private final String target;
    private final String text;
    private final Object lock = new Object();
    private Statement statement;
    private boolean cancelled;

    AdHocQuery(DataSource dataSource, CommandLog log, String target, String text) {
        this.dataSource = dataSource;
        this.log = log;
        this.target = target;
        this.text = text;
    }

    public String text() {
        return text;
    }

    /**
     * Runs the SQL; its last result set is the result (no result set: no columns, no rows).
     *
     * @throws CancellationException when {@link #cancel()} stopped it
     */
    public AdHocResult run() throws SQLException {
        Instant started = Instant.now();
        Connection connection = dataSource.getConnection();
        try {
            try (Statement s = connection.createStatement()) {
                synchronized (lock) {
                    if (cancelled) {
                        throw new CancellationException("cancelled");
                    }
                    statement = s;
                }
                s.setMaxRows(MAX_ROWS + 1);
                boolean results = s.execute(text);
                AdHocResult result = new AdHocResult(List.of(), List.of(), false);
                while (true) {
                    if (results) {
                        try (ResultSet rs = s.getResultSet()) {
                            result = read(rs);
                        }
                    } else if (s.getUpdateCount() == -1) {
                        break;
                    }
                    results = s.getMoreResults();
                }
                log.record(Kind.SQL, target, text, started, result.rows().size()
                        + (result.rows().size() == 1 ? " row" : " rows") + (result.truncated() ? " (first)" : ""),
                        false);
                return result;
            } finally {
                synchronized (lock) {
                    statement = null;
                }
            }
        } catch (SQLException e) {
            boolean byUser;
            synchronized (lock) {
                byUser = cancelled;
            }
            log.record(Kind.SQL, target, text, started, byUser ? "cancelled" : "error: " + e.getMessage(), true);
            if (byUser && "57014".equals(e.getSQLState())) {
                CancellationException stop = new CancellationException("cancelled");
                stop.initCause(e);
                throw stop;
            }
            throw e;
        } finally {
            if (dataSource instanceof HikariDataSource pool) {
                pool.evictConnection(connection);
            } else {
                connection.close();
            }
        }
    }

    /** Cancels the statement on the server if it is running, or stops it from starting. Any thread. */
    public void cancel() throws SQLException {
        Statement running;
        synchronized (lock) {
            cancelled = true;
            running = statement;
        }
        if (running != null) {
            running.cancel();
        }
    }

    public boolean cancelled() {
        synchronized (lock) {
            return cancelled;
        }
    }

    private static AdHocResult read(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        List<String> columns = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            columns.add(meta.getColumnLabel(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        boolean truncated = false;
        while (rs.next()) {
            if (rows.size() == MAX_ROWS) {
                truncated = true;
                break;
            }
            List<Object> row = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                row.add(value(rs.getObject(i)));
            }
            rows.add(row);
        }
        return new AdHocResult(columns, rows, truncated);
    }

    /** Numbers as {@link Number}, dates and timestamps as java.time values, anything else as its text. */
    private static Object value(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Date d) {
            return d.toLocalDate();
        }
        if (v instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        return v.toString();
    }

    /** An error in words for the analyst. */
    public static String describe(Throwable error) {
        if (error instanceof CancellationException) {
            return "cancelled";
        }
        if (error instanceof SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            String message = e.getMessage() == null ? "" : e.getMessage().replaceFirst("^ERROR: ", "");
            return switch (state) {
                case "25006" -> "Read-only: this editor cannot change data (" + message + ")";
                case "42501" -> "Permission denied: analytics_readonly may only read (" + message + ")";
                case "42601" -> "Syntax error: " + message;
                case "57014" -> message.contains("statement timeout")
                        ? "Timed out after " + ChartQueries.STATEMENT_TIMEOUT.toSeconds()
                                + " s (statement_timeout): " + message
                        : "Cancelled on the server: " + message;
                default -> (state.isEmpty() ? "" : "Error " + state + ": ") + message;
            };
        }
        return String.valueOf(error.getMessage() == null ? error : error.getMessage());
    }
}
