package dev.pgdeck.remote.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pgdeck.model.BaseBackupNames;
import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.backup.BackupVerification;
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
import java.util.function.Consumer;

/**
 * The operator's actions on an instance, each one host command built from the profile (what the command log shows):
 * take a base backup now, switch WAL, create a named restore point. PostgreSQL cannot list restore points, so pgdeck
 * keeps its own log of those it created: JSON lines beside the instance's data directory ({@code restorePointLog}), so
 * that an in-place restore, which moves the data directory aside, leaves the log where it was.
 */
public final class HostActions {
    /** A restore point pgdeck created: its name, the LSN PostgreSQL returned, and when. */
    public record RestorePoint(String name, String lsn, OffsetDateTime createdAt, String createdBy) {
    }

    /**
     * An action ready to run: what it does in words, the exact command (what the operator confirms and the command
     * log shows), and how long it may take.
     */
    public record Planned(String what, HostCommand command, Duration timeout) {
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

    /** The command of {@link #switchWal}, for the operator to confirm before it runs. */
    public Planned planSwitchWal(String instance, int port) {
        Map<String, String> v = profile.values(overrides, instance, port);
        return new Planned("Switch WAL on " + instance, profile.command("sql", v,
                Map.of("sql", "SELECT pg_walfile_name(pg_switch_wal())")), SQL_TIMEOUT);
    }

    /** The command of {@link #createRestorePoint} (its log line is written by {@link #logRestorePoint} after it). */
    public Planned planRestorePoint(String instance, int port, String name) {
        if (name == null || name.isBlank() || name.length() > 63 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a restore point name needs 1 to 63 characters (PostgreSQL's limit)");
        }
        Map<String, String> v = profile.values(overrides, instance, port);
        return new Planned("Create restore point " + name + " on " + instance, profile.command("sql", v,
                Map.of("sql", "SELECT pg_create_restore_point(" + sqlLiteral(name) + ")")), SQL_TIMEOUT);
    }

    /** The command of {@link #baseBackupNow}, its backup named after the time now. */
    public Planned planBaseBackup(String instance, int port) {
        Map<String, String> v = profile.values(overrides, instance, port);
        String name = BaseBackupNames.nameFor(LocalDateTime.now(clock).withNano(0));
        return new Planned("Take a base backup of " + instance + " now", profile.command("baseBackupNow", v,
                Map.of("backupName", name)), BACKUP_TIMEOUT);
    }

    /**
     * The command of a backup verification ({@link BackupVerifier}: pg_verifybackup, a tar backup unpacked into a
     * temporary directory first); its result in words comes from {@link #verification}.
     */
    public Planned planVerifyBackup(String instance, int port, String label) {
        return new Planned("Verify base backup " + label + " of " + instance,
                new BackupVerifier(shell, profile, overrides).command(instance, port, label), BackupVerifier.timeout());
    }

    /** What {@link #planVerifyBackup}'s command said about backup {@code label}. */
    public static BackupVerification verification(String label, CommandResult result) {
        return BackupVerification.of(label, result.exitCode(), result.stdout(), result.stderr());
    }

    /** Runs a planned action, handing each line of its output to {@code outputLines} as it arrives. */
    public CommandResult run(Planned action, Consumer<String> outputLines) throws HostCommandException {
        return shell.run(action.command(), action.timeout(), outputLines);
    }

    /**
     * After {@code created} (the result of {@link #planRestorePoint}'s command) succeeded: the restore point, written
     * to pgdeck's log. Throws when the creation failed or the log line could not be written.
     */
    public RestorePoint logRestorePoint(String instance, int port, String name, CommandResult created)
            throws HostCommandException {
        if (!created.succeeded()) {
            throw new HostCommandException("creating restore point failed: " + created.describeFailure());
        }
        Map<String, String> v = profile.values(overrides, instance, port);
        RestorePoint point = new RestorePoint(name, created.stdout().strip(),
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC), "pgdeck");
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
