package dev.pgdeck.remote.warehouse;

import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The warehouse's versioned, checksummed migrations (Flyway, SQL under {@code db/warehouse/} in the shared resources).
 * A database that seed 000 or an older sandbox created without migrations is baselined at version 0, so V1 (written to
 * be idempotent) still runs on it and brings it under version control.
 */
public final class WarehouseMigrations {
    /** In order; a test checks this list against the files. Listed, not scanned: scanning breaks inside a jlink image. */
    static final List<String> FILES = List.of(
            "V1__raw_layer.sql",
            "V2__staging_views.sql",
            "V3__marts.sql",
            "V4__ingestion_bookkeeping.sql",
            "V5__active_users.sql",
            "V6__period_active_users.sql",
            "V7__incremental_active_users.sql",
            "V8__readonly_role_hardening.sql");

    private final DataSource dataSource;

    public WarehouseMigrations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Applies the pending migrations; returns how many ran. */
    public int migrate() throws WarehouseException {
        try {
            MigrateResult result = flyway().migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            String changed = e.getMessage() != null && e.getMessage().contains("checksum mismatch")
                    ? " (a migration applied to this database differs from this pgdeck's: it was migrated by another"
                            + " build; nothing was changed)" : "";
            throw new WarehouseException("Migrating the warehouse failed" + changed + ": " + e.getMessage(), e);
        }
    }

    /** The schema version after the applied migrations, e.g. {@code 4}; null before any. */
    public String currentVersion() {
        var current = flyway().info().current();
        return current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    }

    private Flyway flyway() {
        return Flyway.configure(WarehouseMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .resourceProvider(new ClasspathListResourceProvider("db/warehouse", FILES))
                .schemas("ingest", "web_analytics")
                .defaultSchema("ingest")
                .table("flyway_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("warehouse created before pgdeck's migrations")
                .cleanDisabled(true)
                .load();
    }
}
