package dev.pgdeck.remote.pg;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import javax.sql.DataSource;

/** One small HikariCP pool per instance and database. */
public final class InstancePool implements AutoCloseable {
    private final HikariDataSource dataSource;

    private InstancePool(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A pool for {@code database} on a PostgreSQL listening at {@code host:port}. {@code readOnly} makes every
     * transaction read-only: what only looks, cannot write.
     */
    public static InstancePool open(String poolName, String host, int port, String database, String user,
                                    boolean readOnly) {
        return open(poolName, host, port, database, user, readOnly, null, null, 0);
    }

    /**
     * As {@link #open(String, String, int, String, String, boolean)}, and every statement on the pool's connections is
     * cancelled by the server after {@code statementTimeout} (null: the server's default); {@code password} null for none (trust, ~/.pgpass).
     * {@code maxResultBytes} above 0 makes the driver refuse a result (one execute or FETCH) larger than that before
     * it holds it in memory (pgjdbc's {@code maxResultBuffer}): what a query of unknown size needs.
     */
    public static InstancePool open(String poolName, String host, int port, String database, String user,
                                    boolean readOnly, Duration statementTimeout, String password,
                                    long maxResultBytes) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl("jdbc:postgresql://" + host + ":" + port + "/" + database);
        config.setUsername(user);
        if (password != null) {
            config.setPassword(password);
        }
        config.setReadOnly(readOnly);
        if (readOnly) {
            // pgjdbc's default marks only explicit transactions read-only; "always" covers autocommit statements too.
            config.addDataSourceProperty("readOnlyMode", "always");
        }
        config.setMaximumPoolSize(3);
        config.setMinimumIdle(0);
        // Start without a connection: an instance that is down must not stop the pool (or the console) from opening.
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
        config.setIdleTimeout(Duration.ofMinutes(2).toMillis());
        config.addDataSourceProperty("ApplicationName", "pgdeck");
        config.addDataSourceProperty("connectTimeout", "5");
        config.addDataSourceProperty("socketTimeout", "120");
        if (statementTimeout != null) {
            config.addDataSourceProperty("options", "-c statement_timeout=" + statementTimeout.toMillis());
        }
        if (maxResultBytes > 0) {
            config.addDataSourceProperty("maxResultBuffer", Long.toString(maxResultBytes));
        }
        return new InstancePool(new HikariDataSource(config));
    }

    /**
     * The pool for everything that only looks at an instance: at most 2 connections, every transaction read-only
     * (HikariCP's {@code readOnly} and pgjdbc's {@code readOnlyMode=always}, so autocommit statements too), short
     * timeouts. {@code password} comes from ~/.pgpass (null: none); it is kept in memory only. {@code ssl} adds pgjdbc
     * properties, e.g. {@code sslmode=verify-full}.
     */
    public static InstancePool openLooking(String poolName, String host, int port, String database, String user,
                                           String password, java.util.Map<String, String> ssl) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl("jdbc:postgresql://" + host + ":" + port + "/" + database);
        config.setUsername(user);
        if (password != null) {
            config.setPassword(password);
        }
        config.setReadOnly(true);
        config.addDataSourceProperty("readOnlyMode", "always");
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(0);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
        config.setIdleTimeout(Duration.ofMinutes(2).toMillis());
        config.addDataSourceProperty("ApplicationName", "pgdeck");
        config.addDataSourceProperty("connectTimeout", "5");
        config.addDataSourceProperty("socketTimeout", "60");
        config.addDataSourceProperty("options", "-c statement_timeout=30000");
        ssl.forEach(config::addDataSourceProperty);
        return new InstancePool(new HikariDataSource(config));
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
