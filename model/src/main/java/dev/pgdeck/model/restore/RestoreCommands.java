package dev.pgdeck.model.restore;

import dev.pgdeck.model.HostCommand;

/**
 * The host commands a restore is made of. Hosts differ (systemd or pg_ctl, sudo or not): the remote side builds
 * these from the host profile; every argument reaches the host quoted, as one literal word.
 */
public interface RestoreCommands {
    /** Stops the instance (its service), waiting until it is down. */
    HostCommand stopInstance();

    /** Starts the instance (its service) on its own data directory. */
    HostCommand startInstance();

    /** Starts a scratch server on {@code dataDir}, logging to {@code logFile}, without waiting for recovery. */
    HostCommand startScratch(String dataDir, String logFile);

    /** Stops a scratch server (fast shutdown), waiting until it is down. */
    HostCommand stopScratch(String dataDir);

    /** Renames {@code from} to {@code to}, refusing when {@code to} exists: nothing is ever overwritten. */
    HostCommand moveAside(String from, String to);

    /**
     * Makes {@code link} (a data directory's {@code pg_tblspc/<oid>}) a symbolic link to {@code target}, replacing a
     * symbolic link of that name; refused when {@code link} is anything else (never writes into a directory).
     */
    HostCommand linkTablespace(String target, String link);

    /**
     * Swap back of one tablespace directory, which an in-place restore may have left anywhere between "moved aside"
     * and "restored" (it may have failed in between): only when {@code kept} exists, whatever is at
     * {@code location} (the restored copy) is moved to {@code restoredKeep} and the link {@code restoredLink} (the
     * restored data directory's) pointed there, then {@code kept} is moved back to {@code location}; finally the
     * link {@code link} (the data directory's, back in place) is pointed at {@code location}. Nothing is removed;
     * nothing is overwritten; where {@code kept} does not exist, {@code location} was never moved and stays.
     */
    HostCommand swapTablespaceBack(String location, String kept, String restoredKeep, String link,
                                   String restoredLink);

    /** Creates an empty directory with mode 0700 owned by the server's user; fails if it exists. */
    HostCommand makeDataDir(String dir);

    /** Extracts a {@code .tar.gz} into {@code dir} as the server's user. */
    HostCommand extract(String tarball, String dir);

    /** Appends {@code text} (lines) to {@code file} as the server's user. */
    HostCommand append(String file, String text);

    /** Creates empty files (recovery.signal) as the server's user. */
    HostCommand touch(String file);

    /** Removes one file pgdeck created (its recovery marker) as the server's user; no error when it is gone. */
    HostCommand removeFile(String file);

    /**
     * Creates the marker the executor follows the restored server's log from. Where the instance logs into a file
     * outside its data directory that already holds older lines (Debian: /var/log/postgresql/...), the marker
     * records that file's size, so only what is written after it is read; elsewhere it is an empty file.
     */
    default HostCommand markRecoveryStart(String marker) {
        return touch(marker);
    }

    /**
     * What a drill's scratch copy needs as its own configuration when the host keeps the server's configuration
     * outside the data directory (so a base backup has none), or null when the backup carries it.
     */
    default ScratchServerConfig scratchConfig() {
        return null;
    }

    /**
     * Writes {@code text} as {@code file} (in a scratch copy) as the server's user, replacing a file or link of that
     * name without ever writing through a link. Only asked for when {@link #scratchConfig()} is not null.
     */
    default HostCommand writeScratchConfig(String file, String text) {
        throw new UnsupportedOperationException("this host writes no scratch configuration");
    }

    /** Removes a scratch data directory (drills only; never the instance's data). */
    HostCommand removeScratch(String dir);

    /**
     * Checks an extracted backup against its manifest (pg_verifybackup: file sizes and checksums; the WAL is not
     * parsed, and the restic staging directory a drill keeps inside its copy is ignored).
     */
    HostCommand verifyBackup(String manifest, String dir);

    /** Restores the paths under {@code include} of a restic snapshot into {@code target} (full paths kept). */
    HostCommand resticRestore(String snapshot, String target, String include);

    /** Runs one SQL statement on the server listening on {@code port}; rows as tab-separated lines. */
    HostCommand sql(int port, String sql);

    /**
     * Runs the operator's verification {@code statement} (built by {@link VerifyQuery#statement}) in
     * {@code database} on the server listening on {@code port}, in a read-only transaction; rows as tab-separated
     * lines. The statement is passed so that psql sends it to the server without reading it.
     */
    HostCommand verifyQuery(int port, String database, String statement);
}
