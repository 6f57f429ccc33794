package dev.pgdeck.remote.probe;

import dev.pgdeck.model.BaseBackupNames;
import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.backup.BackupVerification;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.hosts.HostProfile;
import java.time.Duration;
import java.util.Map;

/**
 * {@code pg_verifybackup} on demand for one base backup, through the profile's {@code verifyBackup} command: a tar
 * backup is unpacked into a temporary directory on the host first (PG15's pg_verifybackup cannot read tar), removed
 * afterwards whatever happens. The WAL range is checked against the backup's own {@code pg_wal.tar(.gz)} when it has
 * one (seed 002's backups are {@code -Xstream}: {@code base.tar.gz} and {@code pg_wal.tar.gz}), else against the
 * instance's WAL archive ({@code -w}); never skipped with {@code -n}, since a backup whose WAL is missing cannot be
 * restored.
 */
public final class BackupVerifier {
    /** Unpacking and checksumming a large backup takes a while. */
    private static final Duration TIMEOUT = Duration.ofHours(2);

    private final HostShell shell;
    private final HostProfile profile;
    private final Map<String, String> overrides;

    public BackupVerifier(HostShell shell, HostProfile profile, Map<String, String> overrides) {
        this.shell = shell;
        this.profile = profile;
        this.overrides = Map.copyOf(overrides);
    }

    /** Verifies the base backup directory {@code label} (YYYYMMDD-HHMMSS) of {@code instance}. */
    public BackupVerification verify(String instance, int port, String label) throws HostCommandException {
        CommandResult result = shell.run(command(instance, port, label), TIMEOUT);
        return BackupVerification.of(label, result.exitCode(), result.stdout(), result.stderr());
    }

    /** The exact command {@link #verify} runs, e.g. for the console to show before or as it runs. */
    public HostCommand command(String instance, int port, String label) {
        if (label == null || BaseBackupNames.parse(label).isEmpty()) {
            throw new IllegalArgumentException("\"" + label + "\" is not a base backup name: expected the directory's"
                    + " YYYYMMDD-HHMMSS, e.g. 20251011-120000");
        }
        if (!profile.has("verifyBackup")) {
            throw new IllegalArgumentException("host profile " + profile.name() + " has no verifyBackup command");
        }
        Map<String, String> values = profile.values(overrides, instance, port);
        return profile.command("verifyBackup", values, Map.of("backup", label));
    }

    /** How long a verification may take (unpacking and checksumming a large backup). */
    public static Duration timeout() {
        return TIMEOUT;
    }
}
