package dev.pgdeck.app.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.app.instance.TimelineModel.Item;
import dev.pgdeck.app.instance.TimelineModel.Kind;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.overview.WindowSummary;
import dev.pgdeck.model.zfs.ZfsSnapshot;
import dev.pgdeck.remote.probe.HostActions.RestorePoint;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineModelTest {
    private static final OffsetDateTime T0 = FixtureHosts.T0;

    @Test
    void walCoverageIsCutByEachGapAndEveryKindHasItsLane() {
        InstanceStatus main = FixtureHosts.withOneGap("main");
        RestorePoint point = new RestorePoint("before-etl", "0/9000090", T0.plusHours(3), "pgdeck");
        TimelineModel model = TimelineModel.of(main, List.of(point));

        assertEquals(List.of("Base backups", "WAL, timeline 1", "Restore points", "ZFS", "restic"), model.lanes());
        assertEquals(2, model.count(Kind.BASE_BACKUP));
        assertEquals(1, model.count(Kind.GAP));
        List<Item> wal = model.items().stream().filter(i -> i.kind() == Kind.WAL).toList();
        assertEquals(2, wal.size());
        assertEquals(T0.plusMinutes(2).toInstant(), wal.get(0).from());
        assertEquals(T0.plusHours(9).toInstant(), wal.get(0).to(), "the first stretch ends where the gap starts");
        assertEquals(T0.plusDays(1).plusMinutes(3).toInstant(), wal.get(1).from(), "the next backup's stop");
        assertEquals(T0.plusDays(1).plusHours(6).toInstant(), wal.get(1).to());
        assertEquals(1, model.count(Kind.RESTORE_POINT));
        assertTrue(model.start().isBefore(T0.toInstant()) && model.end().isAfter(T0.plusDays(1).plusHours(6)
                .toInstant()), "a little room either side");
    }

    @Test
    void aGapWithNoLaterBackupRunsToTheEndAndOldSnapshotsStayOutOfTheFocus() {
        InstanceStatus base = FixtureHosts.withOneGap("main");
        WindowSummary open = new WindowSummary(1, T0.plusMinutes(2), T0.plusHours(9),
                List.of(new WindowSummary.Gap(T0.plusHours(9), null, "000000010000000000000009",
                        "00000001000000000000000A")), null, List.of(), List.of());
        ZfsSnapshot yearOld = new ZfsSnapshot("tank/services/postgresql/main", "autosnap_hourly",
                T0.minusYears(1).toInstant(), 0, 0);
        InstanceStatus main = new InstanceStatus("main", 5432, "15.18", true, 1L, base.archiver(), 2, null, false, 1,
                base.walArchive(), base.baseBackups(), open, List.of(yearOld), List.of(), base.health(), Map.of());
        TimelineModel model = TimelineModel.of(main, List.of());

        Item gap = model.items().stream().filter(i -> i.kind() == Kind.GAP).findFirst().orElseThrow();
        assertEquals(model.end(), gap.to(), "no later backup: the gap reaches the end of the axis");
        assertTrue(model.start().isBefore(T0.minusYears(1).toInstant().plusSeconds(1)), "the whole history");
        assertTrue(model.focusStart().isAfter(T0.minusDays(1).toInstant()), "the focus leaves the year-old snapshot out");
    }
}
