package dev.pgdeck.app.restore;

import java.util.List;

/** The hosts and instances the restore wizard can work on. Called from worker threads only: may do I/O. */
public interface RestoreHosts {
    record InstanceChoice(String name, int port) {
        @Override
        public String toString() {
            return name + " (port " + port + ")";
        }
    }

    /**
     * A host and its instances; {@code zfsUnavailable} says in words why its profile cannot restore from a ZFS
     * snapshot, or is empty when it can (from the profile alone, before anything is read).
     */
    record HostChoice(String name, List<InstanceChoice> instances, String zfsUnavailable) {
        public HostChoice {
            instances = List.copyOf(instances);
            zfsUnavailable = zfsUnavailable == null ? "" : zfsUnavailable;
        }

        public boolean hasZfs() {
            return zfsUnavailable.isEmpty();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every host with its instances, the sandbox first (waits for it to be up). */
    List<HostChoice> hosts() throws Exception;

    /** The workflow and actions for one instance of one host (connects when needed). */
    RestoreConnection open(HostChoice host, InstanceChoice instance) throws Exception;
}
