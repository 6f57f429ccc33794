package dev.pgdeck.model.restore;

import dev.pgdeck.model.backup.BaseBackup;
import java.time.LocalDateTime;

/**
 * What the operator chose, and where things are on the host.
 *
 * @param backupDir the directory holding the chosen backup's {@code base.tar.gz} (and {@code pg_wal.tar.gz})
 * @param hasWalTar whether the backup has {@code pg_wal.tar.gz} (pg_basebackup -Ft -X stream)
 * @param scratchPort the free port a drill's server listens on (unused in place)
 * @param startedAt names the moved-aside and scratch directories ({@code .pre-restore-YYYYMMDD-HHMMSS})
 * @param verifySql the operator's verification query, or null
 * @param verifyDatabase the database the verification query runs in; null means {@link VerifyQuery#FALLBACK_DATABASE}
 * @param restic where base backup and WAL come from when not from the host's own directories, else null
 * @param pauseAtTarget in place only: recovery pauses at the target (read-only, to inspect) instead of promoting; the
 *     operator then promotes, or restores again to a later target
 * @param tablespaces the backup's tablespaces and the instance's own ({@link RestoreTablespaces#NONE} for none)
 */
public record RestoreRequest(String host, String instance, int port, RestoreMode mode, RecoveryTarget target,
                             int timeline, BaseBackup backup, String dataDir, String walArchive, String backupDir,
                             boolean hasWalTar, int scratchPort, LocalDateTime startedAt, String verifySql,
                             ResticSource restic, boolean pauseAtTarget, String verifyDatabase,
                             RestoreTablespaces tablespaces) {
    public RestoreRequest {
        tablespaces = tablespaces == null ? RestoreTablespaces.NONE : tablespaces;
        if (pauseAtTarget && mode != RestoreMode.IN_PLACE) {
            throw new IllegalArgumentException("pausing at the target is for an in-place restore: a drill checks its"
                    + " copy and removes it");
        }
        if (pauseAtTarget && target.kind() == RecoveryTarget.Kind.LATEST) {
            throw new IllegalArgumentException("\"latest\" has no target to pause at: recovery ends where the"
                    + " archive ends");
        }
    }

    /** A request of an instance without tablespaces. */
    public RestoreRequest(String host, String instance, int port, RestoreMode mode, RecoveryTarget target,
                          int timeline, BaseBackup backup, String dataDir, String walArchive, String backupDir,
                          boolean hasWalTar, int scratchPort, LocalDateTime startedAt, String verifySql,
                          ResticSource restic, boolean pauseAtTarget, String verifyDatabase) {
        this(host, instance, port, mode, target, timeline, backup, dataDir, walArchive, backupDir, hasWalTar,
                scratchPort, startedAt, verifySql, restic, pauseAtTarget, verifyDatabase, RestoreTablespaces.NONE);
    }

    /** A request whose verification query (if any) runs in {@link VerifyQuery#FALLBACK_DATABASE}. */
    public RestoreRequest(String host, String instance, int port, RestoreMode mode, RecoveryTarget target,
                          int timeline, BaseBackup backup, String dataDir, String walArchive, String backupDir,
                          boolean hasWalTar, int scratchPort, LocalDateTime startedAt, String verifySql,
                          ResticSource restic, boolean pauseAtTarget) {
        this(host, instance, port, mode, target, timeline, backup, dataDir, walArchive, backupDir, hasWalTar,
                scratchPort, startedAt, verifySql, restic, pauseAtTarget, null, RestoreTablespaces.NONE);
    }

    /** A request that promotes at the target. */
    public RestoreRequest(String host, String instance, int port, RestoreMode mode, RecoveryTarget target,
                          int timeline, BaseBackup backup, String dataDir, String walArchive, String backupDir,
                          boolean hasWalTar, int scratchPort, LocalDateTime startedAt, String verifySql,
                          ResticSource restic) {
        this(host, instance, port, mode, target, timeline, backup, dataDir, walArchive, backupDir, hasWalTar,
                scratchPort, startedAt, verifySql, restic, false, null);
    }
}
