package dev.pgdeck.model.zfs;

import java.util.regex.Pattern;

/**
 * The ZFS replica settings of a host ({@code zfsReplicaRoot}, {@code zfsReplicaHost}). Over ssh the remote shell
 * parses the command line again, so both values are held to ZFS's and DNS's characters: no quoting survives two
 * shells unchanged.
 */
public final class ZfsReplicaNames {
    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_.:/-]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.@-]+");

    private ZfsReplicaNames() {}

    /** Why these values cannot be used, or null (either may be null: not set). */
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
}
