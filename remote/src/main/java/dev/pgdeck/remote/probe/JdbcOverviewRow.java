package dev.pgdeck.remote.probe;

import dev.pgdeck.remote.pg.LoggedSql;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The overview's one SQL row read over JDBC, written as psql prints it ({@code -A -t -F '\t'}: tab-separated, NULL
 * as nothing, booleans as {@code t}/{@code f}), so both paths share {@link HostOverviewProbe.SqlRow}'s parser. A
 * failure is a row starting with {@link #FAILED} and the reason in words.
 */
final class JdbcOverviewRow {
    static final String FAILED = "\u0000failed:";

    private JdbcOverviewRow() {}

    /**
     * The row; a connection that broke since it was pooled (the SSH connection under the forward was renewed, the
     * server restarted) is retried once on a fresh one: the query only reads.
     */
    static String read(LoggedSql sql) {
        try {
            return query(sql);
        } catch (SQLException first) {
            if (first.getSQLState() == null || !first.getSQLState().startsWith("08")) {
                return failed(first);
            }
            try {
                return query(sql);
            } catch (SQLException e) {
                return failed(e);
            }
        }
    }

    private static String failed(SQLException e) {
        String why = e.getMessage();
        // HikariCP's "Connection is not available" hides the server's answer (a missing role, a refused password)
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                why = why + " (" + cause.getMessage() + ")";
                break;
            }
        }
        return FAILED + "the server could not be reached over JDBC: " + why;
    }

    private static String query(LoggedSql sql) throws SQLException {
        return sql.queryOne(HostOverviewProbe.SQL, row -> {
            ResultSetMetaData meta = row.getMetaData();
            StringBuilder sb = new StringBuilder();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                Object value = row.getObject(c);
                if (c > 1) {
                    sb.append('\t');
                }
                if (value instanceof Boolean b) {
                    sb.append(b ? 't' : 'f');
                } else if (value != null) {
                    sb.append(row.getString(c));
                }
            }
            return sb.toString();
        });
    }

    /** Waits for every row until {@code deadlineNanos} ({@link System#nanoTime()}); late or failed ones say why. */
    static Map<String, String> await(Map<String, CompletableFuture<String>> rows, long deadlineNanos) {
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, CompletableFuture<String>> e : rows.entrySet()) {
            try {
                long left = Math.max(1, deadlineNanos - System.nanoTime());
                out.put(e.getKey(), e.getValue().get(left, TimeUnit.NANOSECONDS));
            } catch (TimeoutException ex) {
                e.getValue().cancel(true);
                out.put(e.getKey(), FAILED + "the JDBC query did not answer in time");
            } catch (ExecutionException ex) {
                out.put(e.getKey(), FAILED + "the JDBC query failed: " + ex.getCause());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                out.put(e.getKey(), FAILED + "cancelled");
            }
        }
        return out;
    }
}
