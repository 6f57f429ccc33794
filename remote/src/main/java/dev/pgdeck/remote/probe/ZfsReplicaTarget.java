package dev.pgdeck.remote.probe;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.zfs.ZfsReplicaNames;
import dev.pgdeck.remote.hosts.HostProfile;
import java.util.Map;

/**
 * Where a host's ZFS snapshots are replicated (seed 002: syncoid to nas-1), from the host's variables:
 * {@code zfsReplicaRoot}, the dataset the profile's {@code zfsRoot} is replicated to, and {@code zfsReplicaHost} when
 * that dataset is on another host (listed with the profile's {@code zfsRemoteReplicaSnapshots}, an ssh from the host
 * as syncoid does it; else {@code zfsReplicaSnapshots} on the host itself). Not configured: no comparison.
 * Both values are checked by {@link ZfsReplicaNames}.
 */
public record ZfsReplicaTarget(String sourceRoot, String targetRoot, HostCommand command) {
    /** The target configured in {@code hostValues}, or null when there is none (or the profile cannot list it). */
    static ZfsReplicaTarget of(HostProfile profile, Map<String, String> hostValues) {
        String root = blankToNull(hostValues.get("zfsReplicaRoot"));
        String sourceRoot = blankToNull(hostValues.get("zfsRoot"));
        if (root == null || sourceRoot == null) {
            return null;
        }
        String host = blankToNull(hostValues.get("zfsReplicaHost"));
        String problem = ZfsReplicaNames.problem(root, host);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String command = host == null ? "zfsReplicaSnapshots" : "zfsRemoteReplicaSnapshots";
        if (!profile.has(command)) {
            return null;
        }
        return new ZfsReplicaTarget(sourceRoot, root, profile.command(command, hostValues));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
