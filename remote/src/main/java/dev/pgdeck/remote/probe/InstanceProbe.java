package dev.pgdeck.remote.probe;

import dev.pgdeck.model.ArchiverStats;
import dev.pgdeck.model.BaseBackupNames;
import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.pg.PgVersion;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;

/** Reads the overview of one instance: SQL for what the server knows, host commands for what is on disk. */
public final class InstanceProbe {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final HostShell shell;

    public InstanceProbe(HostShell shell) {
        this.shell = shell;
    }

    public InstanceStatus probe(InstanceTarget target) {
        Integer backups = null;
        String error = null;
        try {
            backups = countBaseBackups(target.baseBackupDir());
        } catch (HostCommandException e) {
            error = e.getMessage();
        }
        try {
            String version = target.sql().queryOne("SHOW server_version",
                    row -> PgVersion.fromVersionOutput(row.getString(1)));
            long size = target.sql().queryOne("SELECT sum(pg_database_size(datname))::bigint FROM pg_database",
                    row -> row.getLong(1));
            ArchiverStats archiver = target.sql().queryOne(
                    "SELECT archived_count, last_archived_wal, last_archived_time, failed_count, last_failed_wal,"
                            + " last_failed_time FROM pg_stat_archiver",
                    row -> new ArchiverStats(row.getLong(1), row.getString(2), row.getObject(3, OffsetDateTime.class),
                            row.getLong(4), row.getString(5), row.getObject(6, OffsetDateTime.class)));
            return new InstanceStatus(target.name(), target.port(), version, true, size, archiver, backups, error);
        } catch (SQLException e) {
            String reason = "cannot query the server on port " + target.port() + ": " + e.getMessage();
            return new InstanceStatus(target.name(), target.port(), null, false, null, null, backups,
                    error == null ? reason : reason + "; " + error);
        }
    }

    /** Base backup directories named {@code YYYYMMDD-HHMMSS}; a missing backup directory means none. */
    private int countBaseBackups(String dir) throws HostCommandException {
        CommandResult listing = shell.run(HostCommand.of("ls", "-1", "--", dir), COMMAND_TIMEOUT);
        if (!listing.succeeded()) {
            if (listing.stderr().contains("No such file")) {
                return 0;
            }
            throw new HostCommandException("listing base backups failed: " + listing.describeFailure());
        }
        return BaseBackupNames.fromListing(listing.stdout()).size();
    }
}
