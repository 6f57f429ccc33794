package dev.pgdeck.remote.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pgdeck.model.BaseBackupNames;
import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator's actions on an instance, each one host command built from the profile (what the command log shows):
 * take a base backup now, switch WAL, create a named restore point. PostgreSQL cannot list restore points, so pgdeck
 * keeps its own log of those it created: JSON lines in the instance's data directory ({@code restorePointLog}).
 */
public final class HostActions {
    /** A restore point pgdeck created: its name, the LSN PostgreSQL returned, and when. */
    public record RestorePoint(String name, String lsn, OffsetDateTime createdAt, String createdBy) {
    }

    private static final Duration SQL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration BACKUP_TIMEOUT = Duration.ofHours(2);

    private final HostShell shell;
    private final HostProfile profile;
    private final Map<String, String> overrides;
    private final Clock clock;

    public HostActions(HostShell shell, HostProfile profile, Map<String, String> overrides, Clock clock) {
        this.shell = shell;
        this.profile = profile;
        this.overrides = Map.copyOf(overrides);
        this.clock = clock;
    }

    /** {@code pg_switch_wal()}: closes the current segment so it is archived now; returns the segment's name. */
    public String switchWal(String instance, int port) throws HostCommandException {
        return sqlValue(instance, port, "SELECT pg_walfile_name(pg_switch_wal())", "switching WAL");
    }

    /**
     * {@code pg_create_restore_point(name)} and, only when it succeeded, a line in pgdeck's restore-point log; one
     * round trip. The name is an SQL literal inside one shell word: it reaches the server as text, whatever it holds.
     */
    public RestorePoint createRestorePoint(String instance, int port, String name) throws HostCommandException {
        if (name == null || name.isBlank() || name.length() > 63 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a restore point name needs 1 to 63 characters (PostgreSQL's limit)");
        }
        Map<String, String> v = profile.values(overrides, instance, port);
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        HostCommand create = profile.command("sql", v,
                Map.of("sql", "SELECT pg_create_restore_point(" + sqlLiteral(name) + ")"));
        CommandResult created = shell.run(create, SQL_TIMEOUT);
        if (!created.succeeded()) {
            throw new HostCommandException("creating restore point failed: " + created.describeFailure());
        }
        RestorePoint point = new RestorePoint(name, created.stdout().strip(), now, "pgdeck");
        String line;
        try {
            line = Json.mapper().writeValueAsString(point);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        CommandResult logged = shell.run(profile.command("appendRestorePoint", v, Map.of("line", line)), SQL_TIMEOUT);
        if (!logged.succeeded()) {
            throw new HostCommandException("restore point " + name + " was created at " + point.lsn()
                    + " but could not be written to pgdeck's log: " + logged.describeFailure());
        }
        return point;
    }

    /** The restore points pgdeck created on this instance, oldest first; none when the log does not exist yet. */
    public List<RestorePoint> restorePoints(String instance, int port) throws HostCommandException {
        Map<String, String> v = profile.values(overrides, instance, port);
        CommandResult r = shell.run(profile.command("restorePoints", v), SQL_TIMEOUT);
        if (!r.succeeded()) {
            if (r.stderr().contains("No such file")) {
                return List.of();
            }
            throw new HostCommandException("reading pgdeck's restore-point log failed: " + r.describeFailure());
        }
        List<RestorePoint> points = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isBlank()) {
                try {
                    points.add(Json.mapper().readValue(line, RestorePoint.class));
                } catch (JsonProcessingException e) {
                    throw new HostCommandException("pgdeck's restore-point log has a damaged line: " + line);
                }
            }
        }
        return points;
    }

    /** Takes a base backup now as the profile says (pg_basebackup, or the host's backup service); its result. */
    public CommandResult baseBackupNow(String instance, int port) throws HostCommandException {
        Map<String, String> v = profile.values(overrides, instance, port);
        String name = BaseBackupNames.nameFor(LocalDateTime.now(clock).withNano(0));
        return shell.run(profile.command("baseBackupNow", v, Map.of("backupName", name)), BACKUP_TIMEOUT);
    }

    private String sqlValue(String instance, int port, String sql, String what) throws HostCommandException {
        Map<String, String> v = profile.values(overrides, instance, port);
        CommandResult r = shell.run(profile.command("sql", v, Map.of("sql", sql)), SQL_TIMEOUT);
        if (!r.succeeded()) {
            throw new HostCommandException(what + " failed: " + r.describeFailure());
        }
        return r.stdout().strip();
    }

    /** An SQL string literal (standard_conforming_strings, on by default since 9.1). */
    static String sqlLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
