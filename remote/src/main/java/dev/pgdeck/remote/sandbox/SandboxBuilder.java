package dev.pgdeck.remote.sandbox;

import dev.pgdeck.model.BaseBackupNames;
import dev.pgdeck.model.CommandLogEntry;
import dev.pgdeck.model.ConfQuote;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.ShellQuote;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.pg.LocalCluster;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.pg.PgBinaries;
import dev.pgdeck.remote.warehouse.WarehouseException;
import dev.pgdeck.remote.warehouse.WarehouseMigrations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;

/**
 * Builds a new sandbox once: the cluster with WAL archiving, the seed-000 warehouse with synthetic events, two real
 * base backups and named restore points. The server is left running.
 */
final class SandboxBuilder {
    private final HostShell shell;
    private final PgBinaries binaries;
    private final SandboxLayout layout;
    private final LocalCluster cluster;

    SandboxBuilder(HostShell shell, PgBinaries binaries, SandboxLayout layout, LocalCluster cluster) {
        this.shell = shell;
        this.binaries = binaries;
        this.layout = layout;
        this.cluster = cluster;
    }

    void createCluster(int port) throws HostCommandException, IOException {
        Files.createDirectories(layout.walArchive());
        Files.createDirectories(layout.baseBackups());
        Files.createDirectories(layout.serverLog().getParent());
        Files.createDirectories(layout.socketDir());
        Files.createDirectories(layout.dataDir().getParent());
        cluster.initdb();
        Path conf = layout.dataDir().resolve("postgresql.conf");
        Files.writeString(layout.dataDir().resolve("pgdeck.conf"), serverSettings(port), StandardCharsets.UTF_8);
        Files.writeString(conf, Files.readString(conf) + "\ninclude 'pgdeck.conf'\n", StandardCharsets.UTF_8);
    }

    /** Settings of a seed-002 instance: WAL archived into the instance's archive directory. */
    private String serverSettings(int port) {
        String archive = ShellQuote.quote(ConfQuote.percentLiteral(layout.walArchive().toString()));
        String archiveCommand = "test ! -f " + archive + "/%f && cp %p " + archive + "/%f";
        return String.join("\n",
                "# Written by pgdeck for its sandbox host.",
                "port = " + port,
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = " + ConfQuote.quote(layout.socketDir().toString()),
                "wal_level = replica",
                "archive_mode = on",
                "archive_command = " + ConfQuote.quote(archiveCommand),
                "archive_timeout = 300",
                "max_wal_senders = 4",
                "logging_collector = on",
                "log_directory = 'log'",
                "log_filename = 'postgresql-%Y-%m-%d.log'",
                "log_line_prefix = '%m [%p] '",
                "shared_buffers = 64MB",
                "") + "\n";
    }

    /** The warehouse through the same migrations a real host gets; the sandbox trusts local logins, so no passwords. */
    void createWarehouse(LoggedSql postgres, LoggedSql analytics, DataSource analyticsDataSource, CommandLog log,
                         String target, int events) throws SQLException, WarehouseException {
        postgres.execute("CREATE DATABASE analytics");
        Instant started = Instant.now();
        int applied = new WarehouseMigrations(analyticsDataSource).migrate();
        log.record(CommandLogEntry.Kind.SQL, target, "flyway migrate (db/warehouse)", started,
                "applied " + applied + " migrations", false);
        analytics.execute("ALTER ROLE analytics_readonly LOGIN");
        analytics.execute("ALTER ROLE analytics_writer LOGIN");
        addEvents(analytics, 1, events);
    }

    void addEvents(LoggedSql analytics, long first, int count) throws SQLException {
        int users = Math.max(10, count / 25);
        analytics.execute(resource("events.sql"), first, first, count, users);
        analytics.execute("SELECT web_analytics.refresh_marts(ARRAY(SELECT DISTINCT (timestamp AT TIME ZONE 'UTC')::date"
                + " FROM web_analytics.posthog_events))");
        analytics.execute("VACUUM ANALYZE web_analytics.posthog_events");
    }

    /**
     * A real base backup in the seed-002 layout: {@code <YYYYMMDD-HHMMSS>/base.tar.gz, pg_wal.tar.gz, backup_manifest}
     * by pg_basebackup; with binaries that lack it, through the low-level backup API ({@link JdbcBaseBackup}).
     */
    Path takeBaseBackup(int port, DataSource postgres, CommandLog log) throws HostCommandException, SandboxException {
        LocalDateTime now = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        Path target = layout.baseBackups().resolve(BaseBackupNames.nameFor(now));
        while (Files.exists(target)) {
            now = now.plusSeconds(1);
            target = layout.baseBackups().resolve(BaseBackupNames.nameFor(now));
        }
        if (!binaries.has("pg_basebackup")) {
            try {
                new JdbcBaseBackup(postgres, log, Sandbox.HOST_NAME + "/main").take(layout.dataDir(), target,
                        "pgdeck sandbox " + target.getFileName());
                return target;
            } catch (SQLException | IOException e) {
                throw new SandboxException("The sandbox's base backup (low-level API) failed: " + e.getMessage(), e);
            }
        }
        var result = shell.run(HostCommand.of(binaries.tool("pg_basebackup").toString(), "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-U", "postgres", "-D", target.toString(), "-Ft", "-z", "-Xstream",
                "-c", "fast", "-l", "pgdeck sandbox " + target.getFileName()), Duration.ofMinutes(10));
        if (!result.succeeded()) {
            throw new SandboxException("The sandbox's base backup failed: " + result.describeFailure());
        }
        return target;
    }

    static String resource(String name) {
        try (InputStream in = SandboxBuilder.class.getResourceAsStream("/dev/pgdeck/sandbox/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /dev/pgdeck/sandbox/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
