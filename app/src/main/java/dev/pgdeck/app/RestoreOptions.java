package dev.pgdeck.app;

import picocli.CommandLine.Option;

/** The options `pgdeck restore` and `pgdeck drill` share: where, from which backup and source, and how to verify. */
final class RestoreOptions {
    @Option(names = "--host", paramLabel = "NAME", description = "A host of the inventory (default: the sandbox)")
    String host;

    @Option(names = "--instance", paramLabel = "NAME", description = "The instance (the sandbox's is main)")
    String instance;

    @Option(names = "--backup", paramLabel = "LABEL", description = "Restore from this base backup (default: the"
            + " newest whose stop is before the target)")
    String backup;

    @Option(names = "--timeline", paramLabel = "N", description = "recovery_target_timeline (default: the current"
            + " timeline)")
    Integer timeline;

    @Option(names = "--verify-sql", paramLabel = "SQL", description = "A query to run on the restored server,"
            + " read-only (one SELECT, VALUES or TABLE query without ';'); its rows are printed")
    String verifySql;

    @Option(names = "--verify-db", paramLabel = "DATABASE", description = "The database --verify-sql runs in"
            + " (default: the instance's largest database that is not a template)")
    String verifyDatabase;

    @Option(names = "--from-restic", description = "Take the base backup and the WAL from restic (the newest"
            + " snapshots of the instance, or --restic-base/--restic-wal): seed 002 scenario 4")
    boolean fromRestic;

    @Option(names = "--restic-base", paramLabel = "ID", description = "The restic snapshot of the base backups")
    String resticBase;

    @Option(names = "--restic-wal", paramLabel = "ID", description = "The restic snapshot of the WAL archive")
    String resticWal;

    /**
     * Throws IllegalArgumentException naming what is wrong with the values alone, before anything starts (a sandbox,
     * an SSH connection): a timeline is 1 or more, 32 bits.
     */
    void check() {
        if (timeline != null && timeline < 1) {
            throw new IllegalArgumentException("--timeline " + timeline + " is not a timeline (1 or more)");
        }
    }

    /** A port for a server pgdeck starts: 1-65535. */
    static void checkPort(String option, Integer port) {
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException(option + " " + port + " is not a TCP port (1-65535)");
        }
    }

    RestorePreparation.Source source() {
        return new RestorePreparation.Source(fromRestic, resticBase, resticWal);
    }
}
