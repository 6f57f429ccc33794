package dev.pgdeck.model.health;

import dev.pgdeck.model.ArchiverStats;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.metrics.Metrics;
import dev.pgdeck.model.systemd.FailedUnit;
import dev.pgdeck.model.systemd.TimerStatus;
import dev.pgdeck.model.window.RecoverableWindows;

import java.time.Instant;
import java.util.List;

/**
 * Everything the evaluation looks at for one instance; any part may be null when it could not be read (that is
 * then a finding itself).
 *
 * @param expectedTimers timer units the host profile says must be scheduled for this instance
 * @param drillsRead     whether pgdeck's drill log was read (false: not known, no finding about drills)
 * @param lastDrill      when the last successful recovery drill ran; null when none did (or not read)
 */
public record HealthInput(String instance, Instant now, ArchiverStats archiver, ArchiveLag lag,
                          List<BaseBackup> backups, RecoverableWindows windows, List<TimerStatus> timers,
                          List<String> expectedTimers, List<FailedUnit> failedUnits, Metrics metrics,
                          boolean drillsRead, Instant lastDrill) {
    /** Without the drill log: nothing is said about drills. */
    public HealthInput(String instance, Instant now, ArchiverStats archiver, ArchiveLag lag,
                       List<BaseBackup> backups, RecoverableWindows windows, List<TimerStatus> timers,
                       List<String> expectedTimers, List<FailedUnit> failedUnits, Metrics metrics) {
        this(instance, now, archiver, lag, backups, windows, timers, expectedTimers, failedUnits, metrics, false,
                null);
    }
}
