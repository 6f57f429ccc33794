package dev.pgdeck.model.restore;

import dev.pgdeck.model.HostCommand;

/** The ZFS commands of a snapshot restore (hosts whose profile has ZFS datasets). */
public interface ZfsCommands {
    HostCommand snapshot(String snapshot);

    HostCommand rename(String from, String to);

    HostCommand setMountpoint(String dataset, String mountpoint);

    HostCommand cloneAt(String snapshot, String dataset, String mountpoint);

    /** Creates an empty dataset mounted at {@code mountpoint}. */
    HostCommand create(String dataset, String mountpoint);

    /** Gives a new dataset's mountpoint to the server's user with mode 0700, as PostgreSQL requires. */
    HostCommand ownDataDir(String dir);
}
