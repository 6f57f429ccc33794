package dev.pgdeck.model.restore;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.wal.Lsn;
import dev.pgdeck.model.wal.WalArchive;
import dev.pgdeck.model.wal.WalArchiveListing;
import dev.pgdeck.model.wal.WalSegment;
import dev.pgdeck.model.window.WindowPlanner;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A timeline-1 archive whose segment n was archived at T0 + n minutes, and backups stopping inside segments. */
final class RestoreFixtures {
    static final Instant T0 = Instant.parse("2025-10-11T00:00:00Z");

    private RestoreFixtures() {}

    static Instant archived(long n) {
        return T0.plusSeconds(60 * n);
    }

    /** A backup that stopped 0x100 bytes into segment {@code seg}, 30 s before that segment was archived. */
    static BaseBackup backup(String label, long seg) {
        Lsn stop = new Lsn(new WalSegment(1, seg).startLsn().value() + 0x100);
        Instant stopTime = archived(seg).minusSeconds(30);
        return new BaseBackup(label, stopTime.minusSeconds(60).atOffset(ZoneOffset.UTC),
                stopTime.atOffset(ZoneOffset.UTC), new Lsn(stop.value() - 0x80), stop, 1, 1000L, "pgdeck");
    }

    static WalArchive archive(long from, long to, Long... missing) throws ParseException {
        Set<Long> gone = Set.of(missing);
        StringBuilder sb = new StringBuilder();
        for (long n = from; n <= to; n++) {
            if (!gone.contains(n)) {
                sb.append(new WalSegment(1, n).name()).append(" 16777216 ").append(archived(n).getEpochSecond())
                        .append(".0000000000\n");
            }
        }
        return WalArchiveListing.parse(sb.toString());
    }

    static RecoveryFacts facts(List<BaseBackup> backups, WalArchive archive, Map<String, Lsn> points) {
        return new RecoveryFacts(backups, archive, Map.of(),
                WindowPlanner.plan(backups, archive, null, null, Map.of()), points);
    }

    /** Plain zfs commands, as root would run them. */
    static final class Zfs implements ZfsCommands {
        @Override
        public HostCommand snapshot(String snapshot) {
            return HostCommand.of("zfs", "snapshot", snapshot);
        }

        @Override
        public HostCommand rename(String from, String to) {
            return HostCommand.of("zfs", "rename", from, to);
        }

        @Override
        public HostCommand setMountpoint(String dataset, String mountpoint) {
            return HostCommand.of("zfs", "set", "mountpoint=" + mountpoint, dataset);
        }

        @Override
        public HostCommand cloneAt(String snapshot, String dataset, String mountpoint) {
            return HostCommand.of("zfs", "clone", "-o", "mountpoint=" + mountpoint, snapshot, dataset);
        }

        @Override
        public HostCommand create(String dataset, String mountpoint) {
            return HostCommand.of("zfs", "create", "-o", "mountpoint=" + mountpoint, dataset);
        }

        @Override
        public HostCommand ownDataDir(String dir) {
            return HostCommand.of("chown", "postgres:postgres", dir);
        }
    }

    /** Plain POSIX commands, as a host without sudo would run them. */
    static final class PosixCommands implements RestoreCommands {
        @Override
        public HostCommand stopInstance() {
            return HostCommand.of("systemctl", "stop", "postgresql-main.service");
        }

        @Override
        public HostCommand startInstance() {
            return HostCommand.of("systemctl", "start", "postgresql-main.service");
        }

        @Override
        public HostCommand startScratch(String dataDir, String logFile) {
            return HostCommand.of("pg_ctl", "-D", dataDir, "-l", logFile, "-W", "start");
        }

        @Override
        public HostCommand stopScratch(String dataDir) {
            return HostCommand.of("pg_ctl", "-D", dataDir, "-m", "fast", "-w", "stop");
        }

        @Override
        public HostCommand moveAside(String from, String to) {
            return HostCommand.of("test", "!", "-e", to).then(HostCommand.of("mv", "--", from, to));
        }

        @Override
        public HostCommand linkTablespace(String target, String link) {
            return HostCommand.of("ln", "-sfn", "--", target, link);
        }

        @Override
        public HostCommand swapTablespaceBack(String location, String kept, String restoredKeep, String link,
                                              String restoredLink) {
            return HostCommand.of("sh", "-c", "swap-tablespace-back", "sh", location, kept, restoredKeep, link,
                    restoredLink);
        }

        @Override
        public HostCommand makeDataDir(String dir) {
            return HostCommand.of("mkdir", "-m", "700", "--", dir);
        }

        @Override
        public HostCommand extract(String tarball, String dir) {
            return HostCommand.of("tar", "-xzf", tarball, "-C", dir);
        }

        @Override
        public HostCommand append(String file, String text) {
            return HostCommand.of("sh", "-c", "printf '%s' \"$1\" >> \"$2\"", "sh", text, file);
        }

        @Override
        public HostCommand touch(String file) {
            return HostCommand.of("touch", "--", file);
        }

        @Override
        public HostCommand removeScratch(String dir) {
            return HostCommand.of("rm", "-rf", "--", dir);
        }

        @Override
        public HostCommand verifyBackup(String manifest, String dir) {
            return HostCommand.of("pg_verifybackup", "-n", "-m", manifest, dir);
        }

        @Override
        public HostCommand resticRestore(String snapshot, String target, String include) {
            return HostCommand.of("restic", "-r", "/mnt/nas-backup", "restore", snapshot, "--target", target,
                    "--include", include);
        }

        @Override
        public HostCommand sql(int port, String sql) {
            return HostCommand.of("psql", "-X", "-A", "-t", "-p", Integer.toString(port), "-c", sql);
        }

        @Override
        public HostCommand removeFile(String file) {
            return HostCommand.of("rm", "-f", "--", file);
        }

        @Override
        public HostCommand verifyQuery(int port, String database, String statement) {
            return HostCommand.of("env", "PGOPTIONS=-c default_transaction_read_only=on", "psql", "-X", "-A", "-t",
                    "-p", Integer.toString(port), "-d", database, "-c", statement);
        }
    }

    /**
     * A host that keeps its configuration outside the data directory (Debian): drills write their own, the marker of
     * an in-place restore records the instance log's size.
     */
    static final class ConfigOutsideCommands implements RestoreCommands {
        private final PosixCommands posix = new PosixCommands();

        @Override
        public ScratchServerConfig scratchConfig() {
            return new ScratchServerConfig("/var/run/postgresql", "postgres");
        }

        @Override
        public HostCommand writeScratchConfig(String file, String text) {
            return HostCommand.of("sh", "-c", "rm -f -- \"$2\" && set -C && printf '%s' \"$1\" > \"$2\"", "sh",
                    text, file);
        }

        @Override
        public HostCommand markRecoveryStart(String marker) {
            return HostCommand.of("sh", "-c", "stat -c %s -- \"$2\" > \"$1\" || echo 0 > \"$1\"", "sh", marker,
                    "/var/log/postgresql/postgresql-16-main.log");
        }

        @Override
        public HostCommand stopInstance() {
            return posix.stopInstance();
        }

        @Override
        public HostCommand startInstance() {
            return posix.startInstance();
        }

        @Override
        public HostCommand startScratch(String dataDir, String logFile) {
            return posix.startScratch(dataDir, logFile);
        }

        @Override
        public HostCommand stopScratch(String dataDir) {
            return posix.stopScratch(dataDir);
        }

        @Override
        public HostCommand moveAside(String from, String to) {
            return posix.moveAside(from, to);
        }

        @Override
        public HostCommand linkTablespace(String target, String link) {
            return posix.linkTablespace(target, link);
        }

        @Override
        public HostCommand swapTablespaceBack(String location, String kept, String restoredKeep, String link,
                                              String restoredLink) {
            return posix.swapTablespaceBack(location, kept, restoredKeep, link, restoredLink);
        }

        @Override
        public HostCommand makeDataDir(String dir) {
            return posix.makeDataDir(dir);
        }

        @Override
        public HostCommand extract(String tarball, String dir) {
            return posix.extract(tarball, dir);
        }

        @Override
        public HostCommand append(String file, String text) {
            return posix.append(file, text);
        }

        @Override
        public HostCommand touch(String file) {
            return posix.touch(file);
        }

        @Override
        public HostCommand removeScratch(String dir) {
            return posix.removeScratch(dir);
        }

        @Override
        public HostCommand verifyBackup(String manifest, String dir) {
            return posix.verifyBackup(manifest, dir);
        }

        @Override
        public HostCommand resticRestore(String snapshot, String target, String include) {
            return posix.resticRestore(snapshot, target, include);
        }

        @Override
        public HostCommand sql(int port, String sql) {
            return posix.sql(port, sql);
        }

        @Override
        public HostCommand removeFile(String file) {
            return posix.removeFile(file);
        }

        @Override
        public HostCommand verifyQuery(int port, String database, String statement) {
            return posix.verifyQuery(port, database, statement);
        }
    }
}
