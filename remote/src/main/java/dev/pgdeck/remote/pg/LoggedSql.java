package dev.pgdeck.remote.pg;

import dev.pgdeck.model.CommandLogEntry.Kind;
import dev.pgdeck.remote.host.CommandLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Runs SQL on one instance and records each statement, its duration and outcome in the command log. */
public final class LoggedSql {
    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final DataSource dataSource;
    private final CommandLog log;
    private final String target;

    /** {@code target} names the instance in the log, e.g. {@code sandbox/main}. */
    public LoggedSql(DataSource dataSource, CommandLog log, String target) {
        this.dataSource = dataSource;
        this.log = log;
        this.target = target;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        Instant started = Instant.now();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            log.record(Kind.SQL, target, sql, started, rows.size() + (rows.size() == 1 ? " row" : " rows"), false);
            return rows;
        } catch (SQLException e) {
            log.record(Kind.SQL, target, sql, started, "error: " + e.getMessage(), true);
            throw e;
        }
    }

    public <T> T queryOne(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        List<T> rows = query(sql, mapper, params);
        if (rows.size() != 1) {
            throw new SQLException("expected one row from `" + sql + "`, got " + rows.size());
        }
        return rows.get(0);
    }

    /** Runs a statement (or a script of several, without parameters) in its own autocommit transaction. */
    public long execute(String sql, Object... params) throws SQLException {
        Instant started = Instant.now();
        try (Connection connection = dataSource.getConnection()) {
            long count;
            if (params.length == 0) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(sql);
                    count = Math.max(0, statement.getUpdateCount());
                }
            } else {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    bind(statement, params);
                    count = statement.executeLargeUpdate();
                }
            }
            log.record(Kind.SQL, target, sql, started, "ok, " + count + " rows", false);
            return count;
        } catch (SQLException e) {
            log.record(Kind.SQL, target, sql, started, "error: " + e.getMessage(), true);
            throw e;
        }
    }

    private static void bind(PreparedStatement statement, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            statement.setObject(i + 1, params[i]);
        }
    }
}
