package dev.pgdeck.remote.probe;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.hosts.HostProfile;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a host's ZFS snapshots are replicated (seed 002: syncoid to nas-1), from the host's variables:
 * {@code zfsReplicaRoot}, the dataset the profile's {@code zfsRoot} is replicated to, and {@code zfsReplicaHost} when
 * that dataset is on another host (listed with the profile's {@code zfsRemoteReplicaSnapshots}, an ssh from the host
 * as syncoid does it; else {@code zfsReplicaSnapshots} on the host itself). Not configured: no comparison.
 *
 * <p>Over ssh the remote shell parses the command line again, so both values are held to ZFS's and DNS's characters
 * (no quoting can survive two shells unchanged).
 */
public record ZfsReplicaTarget(String sourceRoot, String targetRoot, HostCommand command) {
    static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_.:/-]+");
    static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.@-]+");

    /** The target configured in {@code hostValues}, or null when there is none (or the profile cannot list it). */
    static ZfsReplicaTarget of(HostProfile profile, Map<String, String> hostValues) {
        String root = blankToNull(hostValues.get("zfsReplicaRoot"));
        String sourceRoot = blankToNull(hostValues.get("zfsRoot"));
        if (root == null || sourceRoot == null) {
            return null;
        }
        String host = blankToNull(hostValues.get("zfsReplicaHost"));
        String problem = problem(root, host);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String command = host == null ? "zfsReplicaSnapshots" : "zfsRemoteReplicaSnapshots";
        if (!profile.has(command)) {
            return null;
        }
        return new ZfsReplicaTarget(sourceRoot, root, profile.command(command, hostValues));
    }

    /** Why these values cannot be used, or null; for the inventory's validation too. */
    public static String problem(String replicaRoot, String replicaHost) {
        if (replicaRoot != null && (!DATASET.matcher(replicaRoot).matches() || replicaRoot.startsWith("-"))) {
            return "variables.zfsReplicaRoot: \"" + replicaRoot + "\" is not a ZFS dataset name (letters, digits"
                    + " and _ . : / - only)";
        }
        if (replicaHost != null && (!HOST.matcher(replicaHost).matches() || replicaHost.startsWith("-"))) {
            return "variables.zfsReplicaHost: \"" + replicaHost + "\" is not a host name (letters, digits and"
                    + " _ . @ - only)";
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
