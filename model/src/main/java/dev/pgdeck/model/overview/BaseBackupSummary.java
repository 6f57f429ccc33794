package dev.pgdeck.model.overview;

import dev.pgdeck.model.backup.BaseBackup;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One base backup directory for the status contract. LSNs as PostgreSQL writes them; {@code sizeBytes} is what the
 * backup's files take on the host; {@code source} says where start/stop came from ("backup history file" or
 * "backup_manifest"), {@code problem} why the backup could not be read fully. {@code tablespaces} are the OIDs of
 * the tablespaces it holds besides the default ones (a {@code pg_basebackup -Ft} backup's {@code <oid>.tar.gz}).
 */
public record BaseBackupSummary(String label, OffsetDateTime startTime, OffsetDateTime stopTime, String startLsn,
                                String stopLsn, Integer timeline, Long sizeBytes, String pgLabel, String source,
                                String problem, List<String> tablespaces) {
    public BaseBackupSummary {
        tablespaces = tablespaces == null ? List.of() : List.copyOf(tablespaces);
    }

    /** A backup of the default tablespaces only. */
    public BaseBackupSummary(String label, OffsetDateTime startTime, OffsetDateTime stopTime, String startLsn,
                             String stopLsn, Integer timeline, Long sizeBytes, String pgLabel, String source,
                             String problem) {
        this(label, startTime, stopTime, startLsn, stopLsn, timeline, sizeBytes, pgLabel, source, problem, List.of());
    }

    /** This summary with the tablespaces its directory holds. */
    public BaseBackupSummary withTablespaces(List<String> oids) {
        return new BaseBackupSummary(label, startTime, stopTime, startLsn, stopLsn, timeline, sizeBytes, pgLabel,
                source, problem, oids);
    }

    public static BaseBackupSummary of(BaseBackup b, String source) {
        return new BaseBackupSummary(b.label(), b.startTime(), b.stopTime(),
                b.startLsn() == null ? null : b.startLsn().toString(),
                b.stopLsn() == null ? null : b.stopLsn().toString(), b.timeline(), b.sizeBytes(), b.pgLabel(), source,
                null);
    }

    public static BaseBackupSummary unreadable(String label, Long sizeBytes, String problem) {
        return new BaseBackupSummary(label, null, null, null, null, null, sizeBytes, null, null, problem);
    }
}
