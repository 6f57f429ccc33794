package dev.pgdeck.remote.restore;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.remote.drill.DrillLines;
import dev.pgdeck.remote.drill.DrillRecord;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.hosts.HostProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * pgdeck's log of recovery drills on the host: JSON lines per instance ({@code drillLog} in the profile, beside the
 * data directories so an in-place restore does not move it away), like the restore-point log. The host view shows
 * the last successful drill and its age from it.
 */
public final class DrillLog {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HostShell shell;
    private final HostProfile profile;
    private final Map<String, String> values;
    private final Clock clock;

    public DrillLog(HostShell shell, HostProfile profile, Map<String, String> values, Clock clock) {
        this.shell = shell;
        this.profile = profile;
        this.values = Map.copyOf(values);
        this.clock = clock;
    }

    public DrillRecord record(RestorePlan plan, RestoreReport report) throws HostCommandException {
        DrillRecord record = new DrillRecord(plan.instance(), OffsetDateTime.now(clock).withOffsetSameInstant(
                ZoneOffset.UTC), report.target(), plan.source(), report.outcome().name(), report.reached(),
                report.timeline(), report.rtoSeconds(), report.steps().stream()
                        .map(s -> new DrillRecord.Step(s.name(), s.seconds())).toList(), report.verifyRows().size());
        append(record);
        return record;
    }

    /** Appends one record to the instance's drill log (one JSON line, created with the log). */
    public void append(DrillRecord record) throws HostCommandException {
        String line = DrillLines.line(record);
        CommandResult r = shell.run(profile.command("appendDrill", values, Map.of("line", line)), TIMEOUT);
        if (!r.succeeded()) {
            throw new HostCommandException("the drill ran but could not be written to pgdeck's drill log: "
                    + r.describeFailure());
        }
    }

    /** All drills of the instance, oldest first; none when the log does not exist yet. */
    public List<DrillRecord> all() throws HostCommandException {
        CommandResult r = shell.run(profile.command("drills", values), TIMEOUT);
        if (!r.succeeded()) {
            if (DrillLines.missing(r.stderr())) {
                return List.of();
            }
            throw new HostCommandException("reading pgdeck's drill log failed: " + r.describeFailure());
        }
        try {
            return DrillLines.parse(r.stdout());
        } catch (ParseException e) {
            throw new HostCommandException(e.getMessage());
        }
    }

    public Optional<DrillRecord> lastSuccessful() throws HostCommandException {
        return DrillLines.lastSuccessful(all());
    }

    /** How long ago the last successful drill ran, for the host view. */
    public Optional<Duration> lastSuccessfulAge() throws HostCommandException {
        return lastSuccessful().map(d -> Duration.between(d.at().toInstant(), clock.instant()));
    }
}
