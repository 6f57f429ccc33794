package dev.pgdeck.model.restore;

import dev.pgdeck.model.ConfQuote;
import java.util.regex.Pattern;

/**
 * The operator's verification query, made safe to hand to {@code psql -c} on the restored server. psql reads a
 * {@code -c} string that starts with a backslash as one of its own commands ({@code \! id} runs a shell) and sends
 * any other string to the server unread; the query is therefore sent as one statement of pgdeck's:
 * {@code SELECT * FROM (<query>) AS pgdeck_verify}. It starts with SELECT, so psql never reads it; without a
 * {@code ;} it is one statement, and as a subquery it can only read (no DDL, COPY, SET, CALL or data-modifying WITH);
 * the server runs it in a read-only transaction (default_transaction_read_only, set by the profile's command).
 */
public final class VerifyQuery {
    /** The database pgdeck falls back to when the instance could not be asked for its databases. */
    public static final String FALLBACK_DATABASE = "postgres";
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private VerifyQuery() {}

    /**
     * The statement sent for {@code sql}: a query (SELECT, VALUES, TABLE, WITH ... SELECT) whose trailing
     * {@code ;} and blanks are dropped.
     *
     * @throws IllegalArgumentException with the reason in one line when it is blank, holds a {@code ;} (a second
     *     statement could start there) or a NUL
     */
    public static String statement(String sql) {
        String q = sql == null ? "" : sql.strip();
        while (q.endsWith(";")) {
            q = q.substring(0, q.length() - 1).strip();
        }
        if (q.isEmpty()) {
            throw new IllegalArgumentException("the verification query is empty");
        }
        if (q.indexOf(';') >= 0) {
            throw new IllegalArgumentException("the verification query must be one query without ';' (a ';' could"
                    + " start a second statement outside its read-only subquery)");
        }
        if (q.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the verification query holds a NUL character");
        }
        // the query on lines of its own: a trailing -- comment cannot swallow the closing parenthesis
        return "SELECT * FROM (\n" + q + "\n) AS pgdeck_verify";
    }

    /**
     * The database as psql's {@code -d} takes it: a plain name as it is; any other in {@code dbname='...'} form, so
     * that a name holding {@code =} or starting with {@code postgresql://} is never read as connection options.
     *
     * @throws IllegalArgumentException for a name PostgreSQL cannot have (empty, 64 bytes or more, a NUL)
     */
    public static String psqlDatabase(String database) {
        if (database == null || database.isEmpty() || ConfQuote.utf8Length(database) > 63
                || database.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the verification database must be a database name of 1 to 63 bytes,"
                    + " not \"" + (database == null ? "" : database.replace("\0", "\\0")) + "\"");
        }
        if (PLAIN_NAME.matcher(database).matches()) {
            return database;
        }
        return "dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
