package dev.pgdeck.model.zfs;

import dev.pgdeck.model.Fixtures;
import dev.pgdeck.model.ParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZfsTest {
    @Test
    void readsSnapshotsOfBothDatasets() throws ParseException {
        List<ZfsSnapshot> all = ZfsListParser.parse(Fixtures.read("zfs/list-snapshots-local.txt"));
        assertEquals(11, all.size());
        ZfsSnapshot first = all.get(0);
        assertEquals("tank/services/postgresql/main", first.dataset());
        assertEquals("autosnap_2025-10-10_00:00:01_daily", first.name());
        assertEquals(Instant.parse("2025-10-10T00:00:01Z"), first.creation());
        assertEquals(1052672, first.used());
        assertEquals(15234567890L, first.refer());
        assertEquals(Optional.of("daily"), first.sanoidPeriod());
        assertEquals("tank/services/postgresql/main@autosnap_2025-10-10_00:00:01_daily", first.fullName());
        assertEquals(5, all.stream().filter(s -> s.dataset().endsWith("main-wal")).count());
        ZfsSnapshot syncoid = all.get(all.size() - 1);
        assertEquals(Optional.empty(), syncoid.sanoidPeriod());
    }

    @Test
    void comparesLocalSnapshotsWithTheReplicationTarget() throws ParseException {
        List<ZfsSnapshot> local = ZfsListParser.parse(Fixtures.read("zfs/list-snapshots-local.txt")).stream()
                .filter(s -> s.dataset().equals("tank/services/postgresql/main")).toList();
        List<ZfsSnapshot> target = ZfsListParser.parse(Fixtures.read("zfs/list-snapshots-target.txt"));
        ZfsReplication r = ZfsReplication.compare(local, target);
        assertEquals(4, r.onBoth().size());
        assertEquals("autosnap_2025-10-11_11:00:01_hourly", r.latestCommon().name());
        assertEquals(List.of("autosnap_2025-10-11_12:00:01_hourly", "syncoid_forge_2025-10-11:12:05:13-GMT00:00"),
                r.localOnly().stream().map(ZfsSnapshot::name).toList());
        assertEquals(List.of("autosnap_2025-10-09_00:00:01_daily"), r.targetOnly().stream().map(ZfsSnapshot::name).toList());
        assertEquals(null, ZfsReplication.compare(local, List.of()).latestCommon());
    }

    @Test
    void marksEachLocalSnapshotReplicatedUnderTheSyncoidMapping() throws ParseException {
        List<ZfsSnapshot> local = new java.util.ArrayList<>(
                ZfsListParser.parse(Fixtures.read("zfs/list-snapshots-local.txt")));
        local.add(new ZfsSnapshot("tank/other", "autosnap_2025-10-10_00:00:01_daily", Instant.EPOCH, 0, 0));
        List<ZfsSnapshot> target = ZfsListParser.parse(Fixtures.read("zfs/list-snapshots-target.txt"));

        List<ZfsSnapshot> marked = ZfsReplication.markReplicated(local, target, "tank/services/postgresql",
                "backup/forge/postgresql/");

        assertEquals(local.size(), marked.size());
        List<String> replicated = marked.stream().filter(s -> Boolean.TRUE.equals(s.replicated()))
                .map(ZfsSnapshot::fullName).toList();
        assertEquals(List.of("tank/services/postgresql/main@autosnap_2025-10-10_00:00:01_daily",
                "tank/services/postgresql/main@autosnap_2025-10-11_00:00:01_daily",
                "tank/services/postgresql/main@autosnap_2025-10-11_10:00:01_hourly",
                "tank/services/postgresql/main@autosnap_2025-10-11_11:00:01_hourly"), replicated);
        assertEquals(Boolean.FALSE, marked.get(8).replicated(), marked.get(8).fullName());
        assertTrue(marked.stream().filter(s -> s.dataset().endsWith("main-wal"))
                .allMatch(s -> Boolean.FALSE.equals(s.replicated())), "main-wal has no dataset on the target");
        assertEquals(null, marked.get(marked.size() - 1).replicated(), "outside the replicated tree: unknown");
        assertEquals("backup/x/main", ZfsReplication.mappedDataset("tank/pg/main", "tank/pg", "backup/x"));
        assertEquals(null, ZfsReplication.mappedDataset("tank/pgx/main", "tank/pg", "backup/x"));
    }

    @Test
    void emptyOutputIsNoSnapshots() throws ParseException {
        assertTrue(ZfsListParser.parse("").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "tank/a@s\t1760140801\t1.5M\t15G", "tank/a@s 1760140801 0 0",
            "tank/a\t1760140801\t0\t0", "tank/a@s\tSat Oct 11 12:00 2025\t0\t0", "tank/a@s\t1760140801\t0",
            "tank/a@s\t1760140801\t0\t0\textra", "@s\t1\t0\t0", "cannot open 'tank/x': dataset does not exist"})
    void rejectsMalformedLines(String bad) {
        String text = Fixtures.read("zfs/list-snapshots-target.txt") + bad + "\n";
        ParseException e = assertThrows(ParseException.class, () -> ZfsListParser.parse(text));
        assertEquals(6, e.lineNumber());
        assertTrue(e.getMessage().startsWith("zfs list"), e.getMessage());
    }

    @Test
    void truncatedOutputIsAnError() {
        String full = Fixtures.read("zfs/list-snapshots-local.txt");
        String cut = full.substring(0, full.indexOf('\t', full.indexOf('\n') + 1) + 4);
        assertThrows(ParseException.class, () -> ZfsListParser.parse(cut));
    }
}
