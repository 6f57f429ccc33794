package dev.pgdeck.remote.sandbox;

import dev.pgdeck.model.BaseBackupNames;
import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * What makes the sandbox answer the host overview like a seed-002 host beyond PostgreSQL itself: the recorded ZFS
 * and systemd output (those cannot run here), the textfile metrics a host's health check writes, and, where restic
 * is installed, a real restic repository holding the base backups and the WAL archive with seed-002 tags.
 */
final class SandboxHostFiles {
    static final List<String> FIXTURES = List.of("zfs-list-snapshots.txt", "zfs-list-snapshots-target.txt",
            "systemctl-list-timers.json", "systemctl-list-units-failed.json");
    private static final Duration RESTIC_TIMEOUT = Duration.ofMinutes(5);

    private SandboxHostFiles() {}

    static Path fixturesDir(Path root) {
        return root.resolve("fixtures");
    }

    static Path resticRepo(Path root) {
        return root.resolve("var/backup/restic");
    }

    static Path resticPasswordFile(Path root) {
        return root.resolve("etc/restic/password");
    }

    static Path metricsDir(Path root) {
        return root.resolve("var/lib/node_exporter/textfile_collector");
    }

    /** Copies the recorded outputs into the sandbox root (the sandbox profile's zfs/systemctl commands cat them). */
    static void installFixtures(Path root) throws IOException {
        Path dir = fixturesDir(root);
        Files.createDirectories(dir);
        for (String name : FIXTURES) {
            try (InputStream in = SandboxHostFiles.class.getResourceAsStream("/dev/pgdeck/sandbox/fixtures/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource /dev/pgdeck/sandbox/fixtures/" + name);
                }
                Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Writes the textfile metrics from what is on disk now, as the host's health check would. */
    static void writeMetrics(SandboxLayout layout, boolean healthy) throws IOException {
        Path dir = metricsDir(layout.root());
        Files.createDirectories(dir);
        String inst = SandboxLayout.INSTANCE;
        long walFiles;
        long lastWal = 0;
        try (Stream<Path> files = Files.list(layout.walArchive())) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            walFiles = all.size();
            for (Path p : all) {
                lastWal = Math.max(lastWal, Files.getLastModifiedTime(p).toMillis() / 1000);
            }
        }
        long lastBackup = 0;
        try (Stream<Path> dirs = Files.list(layout.baseBackups())) {
            for (Path p : dirs.filter(d -> BaseBackupNames.parse(d.getFileName().toString()).isPresent()).toList()) {
                Path manifest = p.resolve("backup_manifest");
                if (Files.exists(manifest)) {
                    lastBackup = Math.max(lastBackup, Files.getLastModifiedTime(manifest).toMillis() / 1000);
                }
            }
        }
        write(dir.resolve("postgresql_health.prom"), String.join("\n",
                "# HELP postgresql_health PostgreSQL instance health (1 = healthy, 0 = unhealthy)",
                "# TYPE postgresql_health gauge",
                "postgresql_health{instance=\"" + inst + "\"} " + (healthy ? 1 : 0), ""));
        write(dir.resolve("postgresql_backup.prom"), String.join("\n",
                "# HELP postgresql_backup_last_success_timestamp Unix timestamp of the last successful base backup",
                "# TYPE postgresql_backup_last_success_timestamp gauge",
                "postgresql_backup_last_success_timestamp{instance=\"" + inst + "\"} " + lastBackup, ""));
        write(dir.resolve("postgresql_wal_archive.prom"), String.join("\n",
                "# HELP postgresql_wal_archive_files_present Number of WAL files in the archive",
                "# TYPE postgresql_wal_archive_files_present gauge",
                "postgresql_wal_archive_files_present{instance=\"" + inst + "\"} " + walFiles,
                "# HELP postgresql_wal_archive_last_success_timestamp Last successful WAL archive",
                "# TYPE postgresql_wal_archive_last_success_timestamp gauge",
                "postgresql_wal_archive_last_success_timestamp{instance=\"" + inst + "\"} " + lastWal, ""));
    }

    /** Like node_exporter expects: written to a temporary file, then renamed, so a half-written file is never read. */
    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static boolean resticInstalled(HostShell shell) throws HostCommandException {
        return shell.run(HostCommand.of("sh", "-c", "command -v restic"), Duration.ofSeconds(10)).succeeded();
    }

    /**
     * Creates the restic repository (once) and backs up the base backups and the WAL archive into it, tagged as on a
     * seed-002 host. The password is generated into a file readable by its owner only; only the file's path ever
     * appears in a command. Does nothing when restic is not installed (the overview then says so).
     */
    static void backUpWithRestic(HostShell shell, SandboxLayout layout) throws HostCommandException, IOException,
            SandboxException {
        if (!resticInstalled(shell)) {
            return;
        }
        Path root = layout.root();
        Path repo = resticRepo(root);
        Path password = resticPasswordFile(root);
        if (!Files.exists(password)) {
            Files.createDirectories(password.getParent());
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Files.createFile(password, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(password, HexFormat.of().formatHex(secret) + "\n", StandardCharsets.UTF_8);
        }
        if (!Files.exists(repo.resolve("config"))) {
            Files.createDirectories(repo.getParent());
            require(shell.run(restic(repo, password, "init"), RESTIC_TIMEOUT), "restic init");
        }
        String inst = SandboxLayout.INSTANCE;
        require(shell.run(restic(repo, password, "backup", "--host", Sandbox.HOST_NAME, "--tag", "postgresql",
                "--tag", inst, "--tag", "base-backup", layout.baseBackups().toString()), RESTIC_TIMEOUT),
                "restic backup of the base backups");
        require(shell.run(restic(repo, password, "backup", "--host", Sandbox.HOST_NAME, "--tag", "postgresql",
                "--tag", inst, "--tag", "wal-archive", layout.walArchive().toString()), RESTIC_TIMEOUT),
                "restic backup of the WAL archive");
    }

    private static HostCommand restic(Path repo, Path password, String... args) {
        List<String> words = new java.util.ArrayList<>(List.of("restic", "-r", repo.toString(), "--password-file",
                password.toString(), "--no-cache", "-q"));
        words.addAll(List.of(args));
        return HostCommand.of(words);
    }

    private static void require(CommandResult result, String what) throws SandboxException {
        if (!result.succeeded()) {
            throw new SandboxException("The sandbox's " + what + " failed: " + result.describeFailure());
        }
    }
}
