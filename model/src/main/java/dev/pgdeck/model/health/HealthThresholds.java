package dev.pgdeck.model.health;

import java.time.Duration;

/**
 * When findings turn amber or red. The defaults follow seed 002: a 5-minute WAL RPO and daily base backups (with
 * slack for a slow run); a recovery drill at least every 30 days (seed 002 asks for a monthly recovery check).
 */
public record HealthThresholds(Duration archiveLagWarn, Duration archiveLagFail, long readyFilesWarn,
                               Duration backupAgeWarn, Duration backupAgeFail, Duration drillAgeWarn) {
    public HealthThresholds(Duration archiveLagWarn, Duration archiveLagFail, long readyFilesWarn,
                            Duration backupAgeWarn, Duration backupAgeFail) {
        this(archiveLagWarn, archiveLagFail, readyFilesWarn, backupAgeWarn, backupAgeFail, Duration.ofDays(30));
    }

    public static HealthThresholds defaults() {
        return new HealthThresholds(Duration.ofMinutes(10), Duration.ofHours(1), 10, Duration.ofHours(26),
                Duration.ofHours(50), Duration.ofDays(30));
    }
}
