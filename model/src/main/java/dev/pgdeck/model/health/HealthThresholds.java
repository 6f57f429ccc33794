package dev.pgdeck.model.health;

import java.time.Duration;

/**
 * When findings turn amber or red. The defaults follow seed 002: a 5-minute WAL RPO and daily base backups (with
 * slack for a slow run).
 */
public record HealthThresholds(Duration archiveLagWarn, Duration archiveLagFail, long readyFilesWarn,
                               Duration backupAgeWarn, Duration backupAgeFail) {
    public static HealthThresholds defaults() {
        return new HealthThresholds(Duration.ofMinutes(10), Duration.ofHours(1), 10, Duration.ofHours(26),
                Duration.ofHours(50));
    }
}
