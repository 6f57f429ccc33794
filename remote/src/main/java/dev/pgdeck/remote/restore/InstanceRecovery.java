package dev.pgdeck.remote.restore;

import dev.pgdeck.model.restore.RecoveryFacts;
import dev.pgdeck.model.restore.ResticSource;
import dev.pgdeck.model.restore.RestoreTablespaces;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One instance as a restore sees it: the recovery facts, which files each backup directory holds, where things
 * are, whether the server answers, and what could not be read (by part).
 *
 * @param currentTimeline the timeline the running server writes, or the highest one known when it is down
 * @param running whether the server answered SQL
 * @param restic the snapshots the facts were read from (seed 002 scenario 4), null for the host's own directories
 * @param tablespaces the instance's tablespaces now: OID to the directory its {@code pg_tblspc/<oid>} link points at
 *     (read from the data directory, so also while the server is down); null when they could not be read
 */
public record InstanceRecovery(String instance, int port, RecoveryFacts facts, Map<String, Set<String>> backupFiles,
                               String dataDir, String walArchive, String baseBackups, int currentTimeline,
                               boolean running, Map<String, String> errors, ResticSource restic,
                               Map<String, String> tablespaces) {
    public InstanceRecovery {
        backupFiles = Map.copyOf(backupFiles);
        errors = Map.copyOf(errors);
        tablespaces = tablespaces == null ? null : Map.copyOf(tablespaces);
    }

    /** Without the instance's tablespace links (unknown: an in-place plan of a backup with tablespaces is refused). */
    public InstanceRecovery(String instance, int port, RecoveryFacts facts, Map<String, Set<String>> backupFiles,
                            String dataDir, String walArchive, String baseBackups, int currentTimeline,
                            boolean running, Map<String, String> errors, ResticSource restic) {
        this(instance, port, facts, backupFiles, dataDir, walArchive, baseBackups, currentTimeline, running, errors,
                restic, null);
    }

    /** The backup's tablespaces and the instance's own, for a plan. */
    public RestoreTablespaces tablespacesFor(String label) {
        return new RestoreTablespaces(RestoreTablespaces.oidsIn(backupFiles.getOrDefault(label, Set.of())),
                tablespaces == null ? Map.of() : tablespaces, tablespaces != null);
    }

    public String backupDir(String label) {
        return baseBackups + "/" + label;
    }

    public boolean hasWalTar(String label) {
        return backupFiles.getOrDefault(label, Set.of()).contains("pg_wal.tar.gz");
    }

    public boolean hasBaseTar(String label) {
        return backupFiles.getOrDefault(label, Set.of()).contains("base.tar.gz");
    }

    /** Errors that make every restore impossible (the archive or the backups could not be read). */
    public List<String> blockingErrors() {
        return errors.entrySet().stream()
                .filter(e -> e.getKey().equals("archiveListing") || e.getKey().equals("baseBackupFiles"))
                .map(Map.Entry::getValue).toList();
    }
}
