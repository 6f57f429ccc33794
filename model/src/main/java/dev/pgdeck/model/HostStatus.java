package dev.pgdeck.model;

import dev.pgdeck.model.overview.MetricSample;
import dev.pgdeck.model.systemd.FailedUnit;
import dev.pgdeck.model.systemd.TimerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The overview of one host: whether it answered, its instances, and what belongs to the host as a whole (timers,
 * failed units, textfile metrics). Parts that could not be read are null with the reason in {@code errors}.
 * {@code staleSince} is set when this is an older overview shown because the latest refresh failed.
 * {@code probe} tells how the overview was gathered (round trips, time), null when unknown. {@code capabilities}
 * says what the host can run as its profile runs it and its free space (read before anything is planned on it), null
 * when not read.
 */
public record HostStatus(String name, boolean reachable, String error, Instant checkedAt,
                         List<InstanceStatus> instances, List<TimerStatus> timers, List<FailedUnit> failedUnits,
                         Map<String, List<MetricSample>> metrics, Map<String, String> errors, Instant staleSince,
                         ProbeStats probe, HostCapabilities capabilities) {

    /** How an overview was gathered: host round trips, the time in all, and the share spent parsing and planning. */
    public record ProbeStats(int roundTrips, long totalMillis, long parseMillis) {
    }

    public HostStatus {
        instances = List.copyOf(instances);
        timers = timers == null ? null : List.copyOf(timers);
        failedUnits = failedUnits == null ? null : List.copyOf(failedUnits);
        metrics = metrics == null ? null : Map.copyOf(metrics);
        errors = errors == null ? Map.of() : Map.copyOf(errors);
    }

    public HostStatus(String name, boolean reachable, String error, Instant checkedAt, List<InstanceStatus> instances) {
        this(name, reachable, error, checkedAt, instances, null, null, null, null, null, null, null);
    }

    /** An overview without the host's capabilities (not read). */
    public HostStatus(String name, boolean reachable, String error, Instant checkedAt,
                      List<InstanceStatus> instances, List<TimerStatus> timers, List<FailedUnit> failedUnits,
                      Map<String, List<MetricSample>> metrics, Map<String, String> errors, Instant staleSince,
                      ProbeStats probe) {
        this(name, reachable, error, checkedAt, instances, timers, failedUnits, metrics, errors, staleSince, probe,
                null);
    }

    /**
     * A configured host whose first answer is still awaited: listed at once, so a host that is slow to answer (or
     * waits on a host-key prompt) is never missing from the list. Nothing has been read: {@code checkedAt} is null.
     */
    public static HostStatus connecting(String name) {
        return new HostStatus(name, false, "connecting… (no answer yet)", null, List.of());
    }

    /** Whether this is {@link #connecting}'s placeholder rather than something read from the host. */
    public boolean isConnecting() {
        return !reachable && checkedAt == null && staleSince == null;
    }

    /** This overview, marked as stale since {@code since} because a later refresh failed with {@code why}. */
    public HostStatus stale(Instant since, String why) {
        return new HostStatus(name, false, why, checkedAt, instances, timers, failedUnits, metrics, errors,
                staleSince != null ? staleSince : since, probe, capabilities);
    }
}
