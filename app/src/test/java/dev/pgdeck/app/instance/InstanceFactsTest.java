package dev.pgdeck.app.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgdeck.app.common.Formats;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.overview.LastDrill;
import dev.pgdeck.model.zfs.ZfsSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ZFS tab's replication summary and the Overview's last drill, in words. */
class InstanceFactsTest {
    private static final Instant T = FixtureHosts.T0.toInstant();
    private static final String DATA = "tank/services/postgresql/main";

    private static InstanceStatus with(List<ZfsSnapshot> zfs, String target, LastDrill drill,
                                       Map<String, String> errors) {
        InstanceStatus i = FixtureHosts.withOneGap("main");
        return new InstanceStatus(i.name(), i.port(), i.version(), i.running(), i.dataSizeBytes(), i.archiver(),
                i.baseBackupCount(), i.error(), i.inRecovery(), i.timeline(), i.walArchive(), i.baseBackups(),
                i.recoverableWindow(), zfs, i.resticSnapshots(), i.health(), errors, i.server(), drill, target);
    }

    private static ZfsSnapshot snap(String dataset, int hour, Boolean replicated) {
        return new ZfsSnapshot(dataset, "autosnap_" + hour + "_hourly", T.plusSeconds(3600L * hour), 1, 1, replicated);
    }

    private static HostStatus host(InstanceStatus i, Map<String, String> hostErrors) {
        return new HostStatus("forge", true, null, T.plusSeconds(86_400 * 3), List.of(i), null, null, null,
                hostErrors, null, null);
    }

    @Test
    void twoThousandSnapshotsOfWhichTheTwoNewestAreNotYetReplicated() {
        List<ZfsSnapshot> zfs = new ArrayList<>();
        for (int h = 0; h < 2000; h++) {
            zfs.add(snap(DATA, h, h < 1998));
        }
        InstanceStatus i = with(zfs, "backup/tank", null, Map.of());
        assertEquals("1,998 of 2,000 replicated to backup/tank; 2 newest not yet", InstanceFacts.zfs(host(i, Map.of()), i));
    }

    @Test
    void aMissingSnapshotOlderThanAReplicatedOneIsCalledSkipped() {
        List<ZfsSnapshot> zfs = List.of(snap(DATA, 1, true), snap(DATA, 2, false), snap(DATA, 3, true),
                snap(DATA + "-wal", 4, false));
        InstanceStatus i = with(zfs, "backup/tank", null, Map.of());
        assertEquals("2 of 4 replicated to backup/tank; 1 newest not yet, 1 older than a replicated one and missing"
                + " on the target", InstanceFacts.zfs(host(i, Map.of()), i));
    }

    @Test
    void noTargetAndAnUnreadableTargetSaySo() {
        List<ZfsSnapshot> zfs = List.of(snap(DATA, 1, null));
        InstanceStatus none = with(zfs, null, null, Map.of());
        assertEquals("1 ZFS snapshots of the instance's datasets; no replication target configured",
                InstanceFacts.zfs(host(none, Map.of()), none));
        InstanceStatus unread = with(zfs, "backup/tank", null, Map.of());
        assertEquals("1 ZFS snapshots of the instance's datasets; replication to backup/tank not compared: ssh: nas-1"
                + " refused", InstanceFacts.zfs(host(unread, Map.of("zfsReplica", "ssh: nas-1 refused")), unread));
    }

    @Test
    void theLastDrillWithItsAgeTargetAndRecoveryTime() {
        LastDrill drill = new LastDrill(FixtureHosts.T0, "latest", true, 12.34);
        InstanceStatus i = with(List.of(), null, drill, Map.of());
        assertEquals(Formats.time(FixtureHosts.T0) + " (3 d ago), target latest, reached, recovery took 12.3 s",
                InstanceFacts.lastDrill(host(i, Map.of()), i));
        InstanceStatus never = with(List.of(), null, null, Map.of());
        assertEquals("never (pgdeck drill runs one into a scratch copy)", InstanceFacts.lastDrill(host(never, Map.of()),
                never));
        InstanceStatus unread = with(List.of(), null, null, Map.of("drills", "cat: permission denied"));
        assertEquals("not read: cat: permission denied", InstanceFacts.lastDrill(host(unread, Map.of()), unread));
    }
}
