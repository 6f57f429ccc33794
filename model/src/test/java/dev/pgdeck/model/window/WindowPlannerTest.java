package dev.pgdeck.model.window;

import dev.pgdeck.model.Fixtures;
import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.backup.BackupLabelParser;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.wal.Lsn;
import dev.pgdeck.model.wal.SegmentStops;
import dev.pgdeck.model.wal.TimelineHistory;
import dev.pgdeck.model.wal.WalArchive;
import dev.pgdeck.model.wal.WalArchiveListing;
import dev.pgdeck.model.wal.WalSegment;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowPlannerTest {
    private static final Instant T0 = Instant.parse("2025-10-11T00:00:00Z");

    /** Segment n of any timeline is archived at T0 + n minutes. */
    private static Instant archived(long n) {
        return T0.plusSeconds(60 * n);
    }

    /** A backup that stopped 0x100 bytes into segment {@code seg}, 30 s before that segment was archived. */
    private static BaseBackup backup(String label, int tli, long seg) {
        Lsn stop = new Lsn(new WalSegment(tli, seg).startLsn().value() + 0x100);
        Instant stopTime = archived(seg).minusSeconds(30);
        return new BaseBackup(label, stopTime.minusSeconds(60).atOffset(ZoneOffset.UTC), stopTime.atOffset(ZoneOffset.UTC),
                new Lsn(stop.value() - 0x80), stop, tli, 1000L, "pgdeck");
    }

    private static WalArchive archive(int tli, long from, long to, Long... missing) throws ParseException {
        return WalArchiveListing.parse(listing(tli, from, to, missing));
    }

    private static String listing(int tli, long from, long to, Long... missing) {
        Set<Long> gone = Set.of(missing);
        StringBuilder sb = new StringBuilder();
        for (long n = from; n <= to; n++) {
            if (!gone.contains(n)) {
                sb.append(new WalSegment(tli, n).name()).append(" 16777216 ").append(archived(n).getEpochSecond())
                        .append(".0000000000\n");
            }
        }
        return sb.toString();
    }

    /** pg_stat_archiver as it is after archiving the archive's newest segment at {@code lastArchived}. */
    private static RecoverableWindows plan(List<BaseBackup> backups, WalArchive archive, Instant lastArchived) {
        return WindowPlanner.plan(backups, archive, archive.newest(), lastArchived, Map.of());
    }

    @Test
    void noBackupsMeansNothingIsRecoverable() throws ParseException {
        RecoverableWindows w = plan(List.of(), archive(1, 1, 20), archived(20));
        assertTrue(w.current().isEmpty());
        assertTrue(w.notes().get(0).contains("no complete base backup"));
    }

    @Test
    void withoutAnArchiveOnlyTheBackupsThemselvesAreRecoverable() {
        BaseBackup b1 = backup("b1", 1, 3);
        BaseBackup b2 = backup("b2", 1, 9);
        TimelineWindow w = plan(List.of(b1, b2), WalArchive.empty(), null).current().orElseThrow();
        assertEquals(b1.stopTime().toInstant(), w.earliest());
        assertEquals(b2.stopTime().toInstant(), w.latest());
        assertEquals(1, w.gaps().size());
        assertEquals(b1.stopTime().toInstant(), w.gaps().get(0).from());
        assertEquals(b2.stopTime().toInstant(), w.gaps().get(0).to());
        assertTrue(w.covers(b2.stopTime().toInstant()));
        assertFalse(w.covers(b2.stopTime().toInstant().minusSeconds(1)));
    }

    @Test
    void contiguousArchiveReachesTheLastArchivedTime() throws ParseException {
        BaseBackup b = backup("b", 1, 3);
        Instant lastArchived = archived(20).plusSeconds(5);
        TimelineWindow w = plan(List.of(b), archive(1, 1, 20), lastArchived).current().orElseThrow();
        assertEquals(b.stopTime().toInstant(), w.earliest());
        assertEquals(lastArchived, w.latest());
        assertTrue(w.gaps().isEmpty());
        assertNull(w.brokenAfter());
    }

    @Test
    void aGapBeforeTheOldestBackupDoesNotMatter() throws ParseException {
        BaseBackup b = backup("b", 1, 5);
        TimelineWindow w = plan(List.of(b), archive(1, 1, 20, 2L, 3L), archived(20)).current().orElseThrow();
        assertEquals(b.stopTime().toInstant(), w.earliest());
        assertEquals(archived(20), w.latest());
        assertTrue(w.gaps().isEmpty());
    }

    @Test
    void aGapBetweenTwoBackupsSplitsTheWindowUntilTheNextBackupsStop() throws ParseException {
        BaseBackup b1 = backup("b1", 1, 3);
        BaseBackup b2 = backup("b2", 1, 12);
        TimelineWindow w = plan(List.of(b2, b1), archive(1, 1, 20, 8L), archived(20)).current().orElseThrow();
        assertEquals(b1.stopTime().toInstant(), w.earliest());
        assertEquals(archived(20), w.latest());
        assertEquals(List.of(new WindowGap(archived(7), b2.stopTime().toInstant(), "000000010000000000000007",
                "000000010000000000000008")), w.gaps());
        assertEquals(2, w.runs().size());
        assertTrue(w.covers(archived(6)));
        assertFalse(w.covers(archived(9)));
        assertTrue(w.covers(archived(15)));
        assertNull(w.brokenAfter());
    }

    @Test
    void aGapAfterTheNewestBackupEndsTheWindow() throws ParseException {
        BaseBackup b = backup("b", 1, 3);
        TimelineWindow w = plan(List.of(b), archive(1, 1, 20, 15L), archived(20)).current().orElseThrow();
        assertEquals(archived(14), w.latest());
        assertTrue(w.gaps().isEmpty());
        assertEquals("00000001000000000000000F", w.brokenAfter().firstMissingSegment());
        assertNull(w.brokenAfter().to());
        assertTrue(w.notes().get(0).contains("cannot be reached"));
    }

    @Test
    void aBackupInsideACoveredRunAddsNothing() throws ParseException {
        TimelineWindow w = plan(List.of(backup("b1", 1, 3), backup("b2", 1, 10)), archive(1, 1, 20), archived(20))
                .current().orElseThrow();
        assertEquals(1, w.runs().size());
        assertEquals("b1", w.runs().get(0).backup());
    }

    @Test
    void aBackupWhoseStopSegmentIsNotArchivedIsOnlyItsOwnStopPoint() throws ParseException {
        BaseBackup b = backup("b", 1, 21);
        TimelineWindow w = plan(List.of(b), archive(1, 1, 20), archived(20)).current().orElseThrow();
        assertEquals(b.stopTime().toInstant(), w.earliest());
        assertEquals(b.stopTime().toInstant(), w.latest());
    }

    @Test
    void aBackupWithoutStopTimeUsesTheArchiveTimeOfItsStopSegment() throws ParseException {
        BaseBackup full = backup("b", 1, 4);
        BaseBackup noTime = new BaseBackup("b", null, null, full.startLsn(), full.stopLsn(), 1, null, null);
        TimelineWindow w = plan(List.of(noTime), archive(1, 1, 10), archived(10)).current().orElseThrow();
        assertEquals(archived(4), w.earliest());
    }

    @Test
    void realArchiveWithThreeTimelines() throws ParseException {
        WalArchive archive = WalArchiveListing.parse(Fixtures.read("pg15/archive-find.txt"));
        BaseBackup b1 = BaseBackup.of("20251011-120000", BackupLabelParser.parse("b1",
                Fixtures.read("pg15/000000010000000000000002.00000028.backup"), null), null);
        BaseBackup b2 = BaseBackup.of("20251012-120000", BackupLabelParser.parse("b2",
                Fixtures.read("pg15/000000020000000000000005.00000028.backup"), null), null);
        Map<Integer, TimelineHistory> histories = Map.of(
                2, TimelineHistory.parse(2, Fixtures.read("pg15/00000002.history")),
                3, TimelineHistory.parse(3, Fixtures.read("pg15/00000003.history")));
        Instant lastArchived = Instant.parse("2026-11-23T15:20:23Z");
        RecoverableWindows w = WindowPlanner.plan(List.of(b1, b2), archive, "000000030000000000000006", lastArchived,
                histories);
        assertEquals(3, w.currentTimeline());
        TimelineWindow t3 = w.current().orElseThrow();
        assertEquals(b1.stopTime().toInstant(), t3.earliest());
        assertEquals(lastArchived, t3.latest());
        assertTrue(t3.gaps().isEmpty());
        assertEquals("000000030000000000000006", t3.runs().get(0).lastSegment());

        TimelineWindow t1 = w.timeline(1).orElseThrow();
        assertEquals(1, t1.runs().size());
        assertEquals("000000010000000000000003", t1.runs().get(0).lastSegment());
        assertEquals(archive.archivedAt(new WalSegment(1, 3)), t1.latest());

        TimelineWindow t2 = w.timeline(2).orElseThrow();
        assertEquals("000000020000000000000006", t2.runs().get(0).lastSegment());
    }

    @Test
    void aMissingSegmentOnTheParentTimelineBreaksTheChildTimeline() throws ParseException {
        // Timeline 2 branched at 0/6000000; segment 4 of timeline 1 is lost.
        WalArchive archive = WalArchiveListing.parse(listing(1, 1, 5, 4L) + listing(2, 6, 12));
        Map<Integer, TimelineHistory> histories = Map.of(2, TimelineHistory.parse(2, "1\t0/6000000\tno recovery target specified\n"));
        BaseBackup b1 = backup("b1", 1, 2);
        BaseBackup onOldBranch = backup("stale", 1, 8);   // tl 1 kept going after the branch: not on timeline 2's path
        BaseBackup b2 = backup("b2", 2, 9);
        RecoverableWindows w = WindowPlanner.plan(List.of(b1, onOldBranch, b2), archive, "00000002000000000000000C",
                archived(12), histories);
        TimelineWindow t2 = w.current().orElseThrow();
        assertEquals(List.of("b1", "b2"), t2.runs().stream().map(CoveredRun::backup).toList());
        assertEquals("000000010000000000000004", t2.gaps().get(0).firstMissingSegment());
        assertEquals(archived(3), t2.gaps().get(0).from());
        assertEquals(b2.stopTime().toInstant(), t2.gaps().get(0).to());
        assertEquals(archived(12), t2.latest());

        TimelineWindow t1 = w.timeline(1).orElseThrow();
        assertEquals(List.of("b1", "stale"), t1.runs().stream().map(CoveredRun::backup).toList());
    }

    @Test
    void aMissingHistoryFileLimitsTheTimelineToItsOwnBackups() throws ParseException {
        WalArchive archive = WalArchiveListing.parse(listing(1, 1, 5) + listing(2, 6, 12));
        RecoverableWindows w = WindowPlanner.plan(List.of(backup("b1", 1, 2), backup("b2", 2, 8)), archive,
                "00000002000000000000000C", archived(12), Map.of());
        TimelineWindow t2 = w.current().orElseThrow();
        assertEquals(List.of("b2"), t2.runs().stream().map(CoveredRun::backup).toList());
        assertTrue(t2.notes().get(0).contains("00000002.history is missing"));
    }

    @Test
    void theArchiverBoundOnlyAppliesToTheCurrentTimeline() throws ParseException {
        WalArchive archive = WalArchiveListing.parse(listing(1, 1, 5) + listing(2, 6, 12));
        Map<Integer, TimelineHistory> histories = Map.of(2, TimelineHistory.parse(2, "1\t0/6000000\tx\n"));
        Instant bound = archived(12).plusSeconds(40);
        RecoverableWindows w = WindowPlanner.plan(List.of(backup("b1", 1, 2)), archive, "00000002000000000000000C",
                bound, histories);
        assertEquals(archived(5), w.timeline(1).orElseThrow().latest());
        assertEquals(bound, w.timeline(2).orElseThrow().latest());
    }

    /**
     * An in-place restore to 0/5000100 promoted timeline 2; timeline 1 had gone on to segment 7. PostgreSQL 15 then
     * archives 00000002.history (and timeline 1's .partial segment) long before timeline 2's first segment.
     */
    private static final String AFTER_SWITCH = listing(1, 1, 7)
            + "00000002.history 42 " + archived(9).getEpochSecond() + ".0000000000\n"
            + "000000010000000000000005.partial 16777216 " + archived(9).getEpochSecond() + ".5000000000\n";

    @Test
    void afterASwitchTheNewTimelineEndsWhereItsWalEndsNotWhenTheHistoryFileWasArchived() throws ParseException {
        WalArchive archive = WalArchiveListing.parse(AFTER_SWITCH);
        Map<Integer, TimelineHistory> histories = Map.of(2, TimelineHistory.parse(2, "1\t0/5000100\tx\n"));
        for (String last : new String[] {"00000002.history", "000000010000000000000005.partial"}) {
            RecoverableWindows w = WindowPlanner.plan(List.of(backup("b1", 1, 2)), archive, last,
                    archived(9).plusSeconds(1), histories);
            assertEquals(2, w.currentTimeline(), last);
            TimelineWindow t2 = w.current().orElseThrow();
            // timeline 2 reads 1/2..1/4, then 2/5, which is not archived yet: its WAL ends with 1/4
            assertEquals("000000010000000000000004", t2.runs().get(0).lastSegment(), last);
            assertEquals(archived(4), t2.latest(), last);
            assertEquals(archived(7), w.timeline(1).orElseThrow().latest(), last);
        }
        // the server's own word wins over a guess from the names
        RecoverableWindows told = WindowPlanner.plan(List.of(backup("b1", 1, 2)), archive, 2,
                "000000010000000000000005.partial", archived(9), histories);
        assertEquals(2, told.currentTimeline());
        // once 2/5 is archived and named by the archiver, its archive time ends timeline 2's window
        WalArchive later = WalArchiveListing.parse(AFTER_SWITCH + listing(2, 5, 5).replace(
                Long.toString(archived(5).getEpochSecond()), Long.toString(archived(10).getEpochSecond())));
        RecoverableWindows w = WindowPlanner.plan(List.of(backup("b1", 1, 2)), later, 2, "000000020000000000000005",
                archived(10).plusSeconds(1), histories);
        assertEquals(archived(10).plusSeconds(1), w.current().orElseThrow().latest());
    }

    @Test
    void theLatestTimeTargetIsTheLastCommitInTheWalAndUnreadSegmentsAreAskedForNewestFirst()
            throws ParseException {
        WalArchive archive = archive(1, 1, 10);
        List<BaseBackup> backups = List.of(backup("b", 1, 3));
        Map<String, SegmentStops> stops = new java.util.HashMap<>();
        RecoverableWindows first = WindowPlanner.plan(backups, archive, 1, archive.newest(), archived(10), Map.of(),
                stops, 2);
        assertEquals(List.of(new WalSegment(1, 10).name(), new WalSegment(1, 9).name()), first.unreadSegments());
        assertNull(first.current().orElseThrow().latestTimeTarget());
        // 10 holds only a checkpoint, 9 two commits: the edge is 9's latest commit, and nothing more is asked for
        stops.put(new WalSegment(1, 10).name(), new SegmentStops(new WalSegment(1, 10).name(), null, 0, null));
        Instant commit = archived(9).minusMillis(1500);
        stops.put(new WalSegment(1, 9).name(), new SegmentStops(new WalSegment(1, 9).name(), commit, 2, null));
        RecoverableWindows second = WindowPlanner.plan(backups, archive, 1, archive.newest(), archived(10), Map.of(),
                stops, 2);
        TimelineWindow w = second.current().orElseThrow();
        assertEquals(commit, w.latestTimeTarget());
        assertEquals(archived(10), w.latest(), "the end of the archive stays the window's latest");
        assertEquals(List.of(), second.unreadSegments());
        // a segment that cannot be read leaves the edge unknown, with the reason
        stops.put(new WalSegment(1, 10).name(), SegmentStops.unreadable(new WalSegment(1, 10).name(), "gzip"));
        TimeEdge edge = WindowPlanner.plan(backups, archive, 1, archive.newest(), archived(10), Map.of(), stops, 2)
                .current().orElseThrow().runs().get(0).timeEdge();
        assertNull(edge.latest());
        assertTrue(edge.unknown().contains("could not be read: gzip"), edge.unknown());
        // no commit anywhere after the backup: none, and nothing left to read
        for (long n = 3; n <= 10; n++) {
            stops.put(new WalSegment(1, n).name(), new SegmentStops(new WalSegment(1, n).name(), null, 0, null));
        }
        assertTrue(WindowPlanner.plan(backups, archive, 1, archive.newest(), archived(10), Map.of(), stops, 2)
                .current().orElseThrow().runs().get(0).timeEdge().none());
    }

    @Test
    void timelineTwosEdgeIsReadAlongItsOwnPath() throws ParseException {
        WalArchive archive = WalArchiveListing.parse(AFTER_SWITCH);
        Map<Integer, TimelineHistory> histories = Map.of(2, TimelineHistory.parse(2, "1\t0/5000100\tx\n"));
        RecoverableWindows w = WindowPlanner.plan(List.of(backup("b1", 1, 2)), archive, 2, "00000002.history",
                archived(9), histories, Map.of(), 1);
        assertEquals(List.of(new WalSegment(1, 4).name()), w.current().orElseThrow().unreadSegments(),
                "timeline 1's segments after the switch are not on timeline 2's way");
        assertEquals(List.of(new WalSegment(1, 7).name(), new WalSegment(1, 4).name()), w.unreadSegments());
    }

    @Test
    void plansTwentyThousandSegmentsQuickly() throws ParseException {
        WalArchive archive = archive(1, 1, 20_000, 7_000L, 15_000L);
        List<BaseBackup> backups = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            backups.add(backup("b" + i, 1, 10 + i * 199L));
        }
        long t0 = System.nanoTime();
        TimelineWindow w = plan(backups, archive, archived(20_000)).current().orElseThrow();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(2, w.gaps().size());
        assertTrue(ms < 200, "took " + ms + " ms");
    }
}
