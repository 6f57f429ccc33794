package dev.pgdeck.model;

import dev.pgdeck.model.overview.ArchiverStatus;
import dev.pgdeck.model.overview.BaseBackupSummary;
import dev.pgdeck.model.overview.HealthSummary;
import dev.pgdeck.model.overview.LastDrill;
import dev.pgdeck.model.overview.ServerSummary;
import dev.pgdeck.model.overview.WalArchiveSummary;
import dev.pgdeck.model.overview.WindowSummary;
import dev.pgdeck.model.restic.ResticSnapshot;
import dev.pgdeck.model.zfs.ZfsSnapshot;
import java.util.List;
import java.util.Map;

/**
 * The overview of one PostgreSQL instance. When the instance could not be read, {@code error} says why and the
 * values that need a connection are null. Each part that could not be read is null and {@code errors} says why,
 * keyed by part ("sql", "walArchive", "baseBackups", "zfs", "restic", "drills", ...); the other parts are still there.
 *
 * @param lastDrill        the last successful recovery drill from pgdeck's drill log; null when none ever succeeded
 *                         (or the log could not be read: then {@code errors} has "drills")
 * @param zfsReplicaTarget the dataset the ZFS snapshots are replicated to (syncoid's target root), null when no
 *                         replication target is configured
 */
public record InstanceStatus(String name, int port, String version, boolean running, Long dataSizeBytes,
                             ArchiverStatus archiver, Integer baseBackupCount, String error, Boolean inRecovery,
                             Integer timeline, WalArchiveSummary walArchive, List<BaseBackupSummary> baseBackups,
                             WindowSummary recoverableWindow, List<ZfsSnapshot> zfsSnapshots,
                             List<ResticSnapshot> resticSnapshots, HealthSummary health, Map<String, String> errors,
                             ServerSummary server, LastDrill lastDrill, String zfsReplicaTarget) {

    public InstanceStatus {
        baseBackups = baseBackups == null ? null : List.copyOf(baseBackups);
        zfsSnapshots = zfsSnapshots == null ? null : List.copyOf(zfsSnapshots);
        resticSnapshots = resticSnapshots == null ? null : List.copyOf(resticSnapshots);
        errors = errors == null ? Map.of() : Map.copyOf(errors);
    }

    /** The overview without the last drill and the replication target. */
    public InstanceStatus(String name, int port, String version, boolean running, Long dataSizeBytes,
                          ArchiverStatus archiver, Integer baseBackupCount, String error, Boolean inRecovery,
                          Integer timeline, WalArchiveSummary walArchive, List<BaseBackupSummary> baseBackups,
                          WindowSummary recoverableWindow, List<ZfsSnapshot> zfsSnapshots,
                          List<ResticSnapshot> resticSnapshots, HealthSummary health, Map<String, String> errors,
                          ServerSummary server) {
        this(name, port, version, running, dataSizeBytes, archiver, baseBackupCount, error, inRecovery, timeline,
                walArchive, baseBackups, recoverableWindow, zfsSnapshots, resticSnapshots, health, errors, server,
                null, null);
    }

    /** The overview without the server's uptime, connections and database sizes. */
    public InstanceStatus(String name, int port, String version, boolean running, Long dataSizeBytes,
                          ArchiverStatus archiver, Integer baseBackupCount, String error, Boolean inRecovery,
                          Integer timeline, WalArchiveSummary walArchive, List<BaseBackupSummary> baseBackups,
                          WindowSummary recoverableWindow, List<ZfsSnapshot> zfsSnapshots,
                          List<ResticSnapshot> resticSnapshots, HealthSummary health, Map<String, String> errors) {
        this(name, port, version, running, dataSizeBytes, archiver, baseBackupCount, error, inRecovery, timeline,
                walArchive, baseBackups, recoverableWindow, zfsSnapshots, resticSnapshots, health, errors, null);
    }

    /** The short overview (what the first console version showed). */
    public InstanceStatus(String name, int port, String version, boolean running, Long dataSizeBytes,
                          ArchiverStats archiver, Integer baseBackupCount, String error) {
        this(name, port, version, running, dataSizeBytes, ArchiverStatus.of(archiver), baseBackupCount, error, null,
                null, null, null, null, null, null, null, null, null);
    }
}
