package dev.pgdeck.remote.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A new, empty database per test on a {@link PostgresServerExtension} server. */
public final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestDatabases() {}

    public static String create(PostgresServerExtension pg, String prefix) throws SQLException {
        String name = prefix + "_" + COUNTER.incrementAndGet();
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    public static String jdbcUrl(PostgresServerExtension pg, String database) {
        return "jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + database;
    }

    public static DataSource dataSource(PostgresServerExtension pg, String database, String user) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl(pg, database));
        ds.setUser(user);
        return ds;
    }
}
