package dev.pgdeck.remote.sandbox;

import dev.pgdeck.model.CommandLogEntry.Kind;
import dev.pgdeck.remote.host.CommandLog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A base backup through the low-level API ({@code pg_backup_start} / {@code pg_backup_stop}, PostgreSQL 15+), for
 * binaries that have no pg_basebackup (the bundled embedded ones). It writes {@code base.tar.gz} with the
 * {@code backup_label}; the WAL it needs is waited for in the archive, so no {@code pg_wal.tar.gz} is written, and there
 * is no {@code backup_manifest} (only pg_basebackup makes one).
 */
final class JdbcBaseBackup {
    /** What the documentation says to leave out of a base backup. */
    private static final Set<String> SKIPPED_FILES = Set.of("postmaster.pid", "postmaster.opts", "backup_label",
            "tablespace_map", "pgdeck-restore-points.jsonl");
    private static final List<String> EMPTIED_DIRS = List.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify",
            "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans", "log");

    private final DataSource dataSource;
    private final CommandLog log;
    private final String target;

    JdbcBaseBackup(DataSource dataSource, CommandLog log, String target) {
        this.dataSource = dataSource;
        this.log = log;
        this.target = target;
    }

    void take(Path dataDir, Path backupDir, String label) throws SQLException, IOException {
        Files.createDirectories(backupDir);
        // pg_backup_start and pg_backup_stop must run on the same session.
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            run(connection, "SELECT pg_backup_start(?, true)", label);
            String backupLabel;
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                    new GZIPOutputStream(Files.newOutputStream(backupDir.resolve("base.tar.gz"))))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                addTree(tar, dataDir, dataDir);
                backupLabel = run(connection, "SELECT labelfile FROM pg_backup_stop(true)");
                addFile(tar, "backup_label", backupLabel.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private String run(Connection connection, String sql, String... params) throws SQLException {
        Instant started = Instant.now();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setString(i + 1, params[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                String value = rs.getString(1);
                log.record(Kind.SQL, target, sql, started, "1 row", false);
                return value;
            }
        } catch (SQLException e) {
            log.record(Kind.SQL, target, sql, started, "error: " + e.getMessage(), true);
            throw e;
        }
    }

    private static void addTree(TarArchiveOutputStream tar, Path root, Path dir) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String name = root.relativize(child).toString();
            if (Files.isDirectory(child)) {
                tar.putArchiveEntry(new TarArchiveEntry(name + "/"));
                tar.closeArchiveEntry();
                if (!EMPTIED_DIRS.contains(name)) {
                    addTree(tar, root, child);
                }
            } else if (!SKIPPED_FILES.contains(name)) {
                try {
                    addFile(tar, name, Files.readAllBytes(child));
                } catch (NoSuchFileException vanished) {
                    // Removed by the server while we copied (a temporary file): WAL replay does not need it.
                }
            }
        }
    }

    private static void addFile(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(0600);
        tar.putArchiveEntry(entry);
        OutputStream out = tar;
        out.write(content);
        tar.closeArchiveEntry();
    }
}
