package dev.pgdeck.remote.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.zfs.ZfsReplicaNames;
import dev.pgdeck.remote.hosts.HostProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which command lists the replication target's snapshots, from the host's variables and the seed-002 profile. */
class ZfsReplicaTargetTest {
    private static final HostProfile SEED002 = HostProfile.builtIn("seed002");

    @Test
    void notConfiguredMeansNoComparison() {
        assertNull(ZfsReplicaTarget.of(SEED002, SEED002.values(Map.of(), null, 0)));
    }

    @Test
    void anotherPoolOnTheSameHost() {
        ZfsReplicaTarget t = ZfsReplicaTarget.of(SEED002, SEED002.values(Map.of("zfsReplicaRoot", "backup/pg"), null,
                0));
        assertEquals("tank/services/postgresql", t.sourceRoot());
        assertEquals("backup/pg", t.targetRoot());
        assertEquals("zfs list -H -p -t snapshot -o name,creation,used,refer -r backup/pg", t.command().shellLine());
    }

    @Test
    void anotherHostThroughSshAsSyncoidReachesIt() {
        ZfsReplicaTarget t = ZfsReplicaTarget.of(SEED002, SEED002.values(Map.of("zfsReplicaRoot",
                "backup/forge/postgresql", "zfsReplicaHost", "root@nas-1"), null, 0));
        assertEquals("sudo -n ssh -o BatchMode=yes -- root@nas-1 zfs list -H -p -t snapshot -o name,creation,used,refer"
                + " -r backup/forge/postgresql", t.command().shellLine());
    }

    @Test
    void valuesTheRemoteShellWouldReadAsCodeAreRefused() {
        IllegalArgumentException root = assertThrows(IllegalArgumentException.class, () -> ZfsReplicaTarget.of(SEED002,
                SEED002.values(Map.of("zfsReplicaRoot", "backup/pg; touch /tmp/pwned", "zfsReplicaHost", "nas-1"),
                        null, 0)));
        assertTrue(root.getMessage().startsWith("variables.zfsReplicaRoot: \"backup/pg; touch /tmp/pwned\" is not a"
                + " ZFS dataset name"), root.getMessage());
        assertTrue(ZfsReplicaNames.problem("backup/pg", "-oProxyCommand=x").contains("zfsReplicaHost"));
        assertNull(ZfsReplicaNames.problem("backup/forge/postgresql", "root@nas-1.lan"));
    }
}
