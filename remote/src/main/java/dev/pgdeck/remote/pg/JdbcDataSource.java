package dev.pgdeck.remote.pg;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A plain (unpooled) data source for a JDBC URL: what a one-shot command such as {@code pgdeck ingest} needs. */
public final class JdbcDataSource {
    private JdbcDataSource() {}

    /** {@code password}: null to leave it to the URL or ~/.pgpass. */
    public static DataSource of(String jdbcUrl, String applicationName, String password) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl
                    + " (expected jdbc:postgresql://host:port/database?user=...)");
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        ds.setApplicationName(applicationName);
        if (password != null) {
            ds.setPassword(password);
        }
        return ds;
    }
}
