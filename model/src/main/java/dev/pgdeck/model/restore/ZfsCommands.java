package dev.pgdeck.model.restore;

import dev.pgdeck.model.HostCommand;

/** The ZFS commands of a snapshot restore (hosts whose profile has ZFS datasets). */
public interface ZfsCommands {
    HostCommand snapshot(String snapshot);

    HostCommand rename(String from, String to);

    HostCommand setMountpoint(String dataset, String mountpoint);

    HostCommand cloneAt(String snapshot, String dataset, String mountpoint);
}
