package dev.pgdeck.remote.charts;

import com.zaxxer.hikari.HikariDataSource;
import dev.pgdeck.model.CommandLogEntry.Kind;
import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.sql.ReadOnlyStatement;
import dev.pgdeck.remote.host.CommandLog;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.core.Parser;

/**
 * One run of an analyst's SQL, read-only by construction rather than by trust in the text:
 * <ol>
 *   <li>the text must be exactly one query ({@link ReadOnlyStatement}, a lexer-level check, and pgjdbc's own parser
 *       must agree that it is one statement); anything else is refused before it reaches the server;</li>
 *   <li>it runs inside a transaction pgdeck opens {@code READ ONLY} and gives its own {@code statement_timeout}, as a
 *       server-side cursor ({@code DECLARE ... NO SCROLL CURSOR FOR} the one query), so a data-modifying
 *       {@code WITH}, {@code SELECT INTO} or a write through a function fails there; the timeout is set again before
 *       every {@code FETCH} to what is left of pgdeck's limit, so a {@code set_config} in the query cannot lift it;</li>
 *   <li>rows come in batches sized from the rows seen so far and stop at {@link #MAX_ROWS} rows or {@link #MAX_BYTES}
 *       (the pool's pgjdbc {@code maxResultBuffer} stops a single batch that would be larger);</li>
 *   <li>the transaction is rolled back and the connection evicted from the pool, so nothing the query set in its
 *       session outlives it; when a run ends abnormally its backend is sent a cancel request first.</li>
 * </ol>
 * {@link #run()} on a worker thread; {@link #cancel()} from any other thread cancels the statement on the server (the
 * driver's cancel request, as {@code pg_cancel_backend} would).
 */
public final class AdHocQuery {
    public static final int MAX_ROWS = 10_000;
    /** Roughly: the characters of text values plus a few bytes for every other value. */
    public static final long MAX_BYTES = 64L << 20;
    private static final String CURSOR = "pgdeck_adhoc";
    private static final int MAX_BATCH = 1_000;
    /** pgjdbc's message when one batch exceeded the pool's {@code maxResultBuffer}. */
    private static final String RESULT_BUFFER_EXCEEDED = "Result set exceeded maxResultBuffer limit";

    private final DataSource dataSource;
    private final CommandLog log;
    private final String target;
    private final String text;
    private final Duration timeout;
    private final Object lock = new Object();
    private Statement statement;
    private boolean cancelled;
    /** Set when the driver closed the connection under a run that still has a result (a batch over the byte limit). */
    private boolean connectionLost;

    AdHocQuery(DataSource dataSource, CommandLog log, String target, String text, Duration timeout) {
        this.dataSource = dataSource;
        this.log = log;
        this.target = target;
        this.text = text;
        this.timeout = timeout;
    }

    public String text() {
        return text;
    }

    /**
     * Runs the query and returns its first rows (all of them when under the limits).
     *
     * @throws RefusedQueryException when the text is not exactly one query; nothing reached the server
     * @throws CancellationException when {@link #cancel()} stopped it
     */
    public AdHocResult run() throws SQLException {
        Instant started = Instant.now();
        ReadOnlyStatement query = check(started);
        long deadline = System.nanoTime() + timeout.toNanos();
        Connection connection = dataSource.getConnection();
        boolean ended = false;
        try {
            try (Statement s = connection.createStatement()) {
                synchronized (lock) {
                    if (cancelled) {
                        throw new CancellationException("cancelled");
                    }
                    statement = s;
                }
                // The text goes to the server as it is: no JDBC escapes ({fn ...}, {d '...'}) rewritten into it.
                s.setEscapeProcessing(false);
                connection.setAutoCommit(false);
                connection.setReadOnly(true);
                open(connection, s);
                AdHocResult result = query.kind() == ReadOnlyStatement.Kind.QUERY
                        ? fetch(s, query.statement(), deadline)
                        : explain(s, query.statement(), deadline);
                if (!connectionLost) {
                    connection.rollback();
                    ended = true;
                }
                log.record(Kind.SQL, target, text, started, result.rowsInWords(), false);
                return result;
            } finally {
                synchronized (lock) {
                    statement = null;
                }
            }
        } catch (SQLException | RuntimeException e) {
            boolean byUser = cancelled();
            log.record(Kind.SQL, target, text, started, byUser ? "cancelled" : "error: " + firstLine(e.getMessage()),
                    true);
            if (byUser && (!(e instanceof SQLException sql) || "57014".equals(sql.getSQLState()))) {
                CancellationException stop = new CancellationException("cancelled");
                stop.initCause(e);
                throw stop;
            }
            throw e;
        } finally {
            release(connection, ended);
        }
    }

    /** The one query in the text, or a refusal in the command log and an exception; nothing goes to the server. */
    private ReadOnlyStatement check(Instant started) throws RefusedQueryException {
        String refusal;
        try {
            ReadOnlyStatement query = ReadOnlyStatement.of(text);
            // pgjdbc splits a text on the semicolons it sees; it must see none, or the DECLARE would cover only a part.
            if (Parser.parseJdbcSql(query.statement(), true, false, true, false, false).size() == 1) {
                return query;
            }
            refusal = "Refused: the driver reads more than one statement in this text";
        } catch (ParseException e) {
            refusal = e.getMessage();
        } catch (SQLException e) {
            refusal = "Refused: the driver cannot read this text (" + firstLine(e.getMessage()) + ")";
        }
        log.record(Kind.SQL, target, text, started, refusal, true);
        throw new RefusedQueryException(refusal);
    }

    /** The transaction the query runs in: read-only, pgdeck's timeout, strings read as the lexer read them. */
    private void open(Connection connection, Statement s) throws SQLException {
        s.execute("SET TRANSACTION READ ONLY");
        s.execute("SET LOCAL statement_timeout = " + Math.max(1, timeout.toMillis()));
        s.execute("SET LOCAL standard_conforming_strings = on");
        // Should pgdeck vanish between two FETCHes, the server ends the transaction itself.
        s.execute("SET LOCAL idle_in_transaction_session_timeout = " + Math.max(1, timeout.toMillis()));
        if (connection.getMetaData().getDatabaseMajorVersion() >= 14) {
            // ... and a query running when pgdeck's connection is gone stops within a second instead of running on.
            s.execute("SET LOCAL client_connection_check_interval = 1000");
        }
    }

    private AdHocResult fetch(Statement s, String query, long deadline) throws SQLException {
        s.execute("DECLARE " + CURSOR + " NO SCROLL CURSOR FOR " + query);
        Rows rows = new Rows();
        int batch = 1; // the first row tells how big rows are
        while (true) {
            checkCancelled();
            s.execute("SET LOCAL statement_timeout = " + remainingMillis(deadline));
            int read;
            try (ResultSet rs = s.executeQuery("FETCH FORWARD " + batch + " FROM " + CURSOR)) {
                read = rows.read(rs);
            } catch (SQLException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(RESULT_BUFFER_EXCEEDED)) {
                    // The driver stopped reading mid-batch and closed the connection: what was read stands.
                    connectionLost = true;
                    return rows.result(AdHocResult.Limit.BYTES);
                }
                throw e;
            }
            if (rows.limit() != AdHocResult.Limit.NONE || read < batch) {
                return rows.result(rows.limit());
            }
            batch = rows.nextBatch();
        }
    }

    /** EXPLAIN cannot be a cursor's query: it runs as itself, in the same transaction, with the same limits. */
    private AdHocResult explain(Statement s, String query, long deadline) throws SQLException {
        checkCancelled();
        s.execute("SET LOCAL statement_timeout = " + remainingMillis(deadline));
        s.setMaxRows(MAX_ROWS + 1);
        Rows rows = new Rows();
        try (ResultSet rs = s.executeQuery(query)) {
            rows.read(rs);
        }
        return rows.result(rows.limit());
    }

    private void checkCancelled() {
        if (cancelled()) {
            throw new CancellationException("cancelled");
        }
    }

    /** What is left of pgdeck's limit, for the next statement; past it, the run ends as the server would end it. */
    private long remainingMillis(long deadline) throws SQLException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SQLException("ERROR: canceling statement due to statement timeout", "57014");
        }
        return left;
    }

    /**
     * Rolls back (closing the cursor) and evicts the connection. A run that did not end normally may have left its
     * backend busy (a FETCH cut short by the byte limit, a broken connection): it gets a cancel request first.
     */
    private void release(Connection connection, boolean ended) throws SQLException {
        try {
            if (!ended) {
                try {
                    connection.unwrap(PGConnection.class).cancelQuery();
                } catch (SQLException ignored) {
                    // a connection that is gone has no backend left to cancel
                }
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // evicted below either way
                }
            }
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

    /** The rows read so far and what they weigh. */
    private static final class Rows {
        private final List<List<Object>> rows = new ArrayList<>();
        private List<String> columns = List.of();
        private long bytes;
        private long largestRow = 1;
        private AdHocResult.Limit limit = AdHocResult.Limit.NONE;

        /** Reads one batch; returns how many rows the server sent in it. */
        int read(ResultSet rs) throws SQLException {
            ResultSetMetaData meta = rs.getMetaData();
            int n = meta.getColumnCount();
            if (columns.isEmpty()) {
                List<String> names = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    names.add(meta.getColumnLabel(i));
                }
                columns = names;
            }
            int read = 0;
            while (rs.next()) {
                read++;
                if (limit != AdHocResult.Limit.NONE) {
                    continue;
                }
                if (rows.size() == MAX_ROWS) {
                    limit = AdHocResult.Limit.ROWS;
                    continue;
                }
                List<Object> row = new ArrayList<>(n);
                long size = 0;
                for (int i = 1; i <= n; i++) {
                    Object v = value(rs.getObject(i));
                    size += v instanceof String text ? text.length() + 16 : 16;
                    row.add(v);
                }
                if (bytes + size > MAX_BYTES) {
                    limit = AdHocResult.Limit.BYTES;
                    continue;
                }
                bytes += size;
                largestRow = Math.max(largestRow, size);
                rows.add(row);
            }
            return read;
        }

        AdHocResult.Limit limit() {
            return limit;
        }

        /**
         * As many rows as fit twice over in what is left of the byte limit at the largest row seen, at most
         * {@link #MAX_BATCH}, and one more than the row limit leaves (to know whether there were more).
         */
        int nextBatch() {
            long fit = (MAX_BYTES - bytes) / (2 * largestRow);
            long left = MAX_ROWS + 1L - rows.size();
            return (int) Math.max(1, Math.min(Math.min(fit, left), MAX_BATCH));
        }

        AdHocResult result(AdHocResult.Limit why) {
            return new AdHocResult(columns, rows, why);
        }
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

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** An error in words for the analyst. */
    public static String describe(Throwable error) {
        if (error instanceof CancellationException) {
            return "cancelled";
        }
        if (error instanceof RefusedQueryException refused) {
            return refused.getMessage();
        }
        if (error instanceof SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            String message = firstLine(e.getMessage()).replaceFirst("^ERROR: ", "");
            return switch (state) {
                case "25006", "25001" -> "Read-only: this editor cannot change data (" + message + ")";
                case "0A000" -> message.contains("data-modifying")
                        ? "Read-only: this editor cannot change data (" + message + ")"
                        : "Not supported here: " + message;
                case "42501" -> "Permission denied: analytics_readonly may only read (" + message + ")";
                case "42601" -> "Syntax error: " + message;
                case "57014" -> message.contains("statement timeout")
                        ? "Timed out after " + ChartQueries.STATEMENT_TIMEOUT.toSeconds()
                                + " s (the editor's limit): " + message
                        : "Cancelled on the server: " + message;
                default -> (state.isEmpty() ? "" : "Error " + state + ": ") + message;
            };
        }
        return String.valueOf(error.getMessage() == null ? error : error.getMessage());
    }
}
