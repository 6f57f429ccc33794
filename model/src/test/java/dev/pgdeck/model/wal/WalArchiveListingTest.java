package dev.pgdeck.model.wal;

import dev.pgdeck.model.Fixtures;
import dev.pgdeck.model.ParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WalArchiveListingTest {
    @Test
    void summarisesARealArchiveWithThreeTimelines() throws ParseException {
        WalArchive a = WalArchiveListing.parse(Fixtures.read("pg15/archive-find.txt"));
        assertEquals(7, a.segmentCount());
        assertEquals(7L * 16 * 1024 * 1024 + 327 * 2 + 41 + 85, a.bytes());
        assertEquals("000000010000000000000001", a.oldest());
        assertEquals("000000030000000000000006", a.newest());
        assertEquals(List.of("00000002.history", "00000003.history"), a.historyFiles());
        assertEquals(List.of("000000010000000000000002.00000028.backup", "000000020000000000000005.00000028.backup"),
                a.backupHistoryFiles());
        assertEquals(3, a.timelines().size());
        TimelineRange t1 = a.timelines().get(0);
        assertEquals("000000010000000000000001", t1.first());
        assertEquals("000000010000000000000003", t1.last());
        assertEquals(3, t1.segments());
        assertEquals(Instant.ofEpochSecond(1795447140L, 820646970L), t1.firstArchivedAt());
        TimelineRange t2 = a.timelines().get(1);
        assertEquals("000000020000000000000004", t2.first());
        assertEquals("000000020000000000000006", t2.last());
        assertTrue(a.gaps().isEmpty());
        assertTrue(a.otherFiles().isEmpty());
    }

    @Test
    void findsEveryGapPerTimeline() throws ParseException {
        String listing = String.join("\n",
                line("000000010000000000000001", 1), line("000000010000000000000002", 2),
                line("000000010000000000000005", 5), line("000000010000000000000006", 6),
                line("0000000100000000000000FF", 7), line("000000010000000100000001", 8),
                line("000000020000000000000007", 9), line("000000020000000000000009", 10)) + "\n";
        WalArchive a = WalArchiveListing.parse(listing);
        List<WalGap> gaps = a.gaps();
        assertEquals(4, gaps.size());
        assertEquals(new WalGap(1, "000000010000000000000002", "000000010000000000000005", 2,
                Instant.ofEpochSecond(2), Instant.ofEpochSecond(5)), gaps.get(0));
        assertEquals("000000010000000000000006", gaps.get(1).after());
        assertEquals("0000000100000000000000FF", gaps.get(1).before());
        assertEquals(0xFF - 7, gaps.get(1).missingSegments());
        assertEquals("000000010000000100000001", gaps.get(2).before());
        assertEquals(1, gaps.get(2).missingSegments());
        assertEquals(2, gaps.get(3).timeline());
        assertEquals("000000010000000000000001", a.oldest());
        assertEquals("000000010000000100000001", a.newest());
    }

    @Test
    void ordersByNameNotByFindOrderAndKeepsOneOfPlainAndCompressed() throws ParseException {
        WalArchive a = WalArchiveListing.parse(line("000000010000000000000003", 3) + "\n"
                + line("000000010000000000000001", 1) + "\n" + line("000000010000000000000002.gz", 2) + "\n"
                + line("000000010000000000000002", 2));
        assertEquals(3, a.segmentCount());
        assertTrue(a.gaps().isEmpty());
        assertEquals(-1, a.firstMissing(1, 1, 3));
        assertEquals(4, a.firstMissing(1, 1, 4));
    }

    @Test
    void keepsPartialAndForeignFilesVisible() throws ParseException {
        WalArchive a = WalArchiveListing.parse(line("000000010000000000000006.partial", 1) + "\n"
                + "notes from ops.txt 12 1760184001.5\n" + line("000000010000000000000005", 2));
        assertEquals(List.of("000000010000000000000006.partial"), a.partialFiles());
        assertEquals(List.of("notes from ops.txt"), a.otherFiles());
        assertEquals(1, a.segmentCount());
    }

    @Test
    void emptyOutputIsAnEmptyArchive() throws ParseException {
        WalArchive a = WalArchiveListing.parse("");
        assertEquals(0, a.segmentCount());
        assertNull(a.oldest());
        assertFalse(a.contains(new WalSegment(1, 1)));
        assertEquals(0, WalArchiveListing.parse("\n").segmentCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"000000010000000000000001", "000000010000000000000001 16777216",
            "000000010000000000000001 big 1760184001.1", "000000010000000000000001 16777216 yesterday",
            "000000010000000000000001 16777216 1760184001.", "000000010000000000000001 -5 1760184001",
            "total 32780", "<html><body>502 Bad Gateway</body></html>"})
    void rejectsMalformedLinesNamingThem(String bad) {
        String listing = line("000000010000000000000001", 1) + "\n" + bad + "\n";
        ParseException e = assertThrows(ParseException.class, () -> WalArchiveListing.parse(listing));
        assertEquals(2, e.lineNumber());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }

    @Test
    void truncatedLastLineIsAnError() {
        String full = Fixtures.read("pg15/archive-find.txt");
        String cut = full.substring(0, full.indexOf(' ', full.indexOf('\n', 200) + 1) + 3);
        assertThrows(ParseException.class, () -> WalArchiveListing.parse(cut));
    }

    @Test
    void parsesAndAnalysesTwentyThousandSegmentsQuickly() throws ParseException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 20_001; i++) {
            if (i == 12_345) {
                continue;
            }
            sb.append(new WalSegment(1, i).name()).append(" 16777216 ").append(1_760_000_000L + i * 60L)
                    .append(".1234567890\n");
        }
        String listing = sb.toString();
        for (int warm = 0; warm < 20; warm++) {
            WalArchiveListing.parse(listing);
        }
        long best = Long.MAX_VALUE;
        WalArchive a = null;
        for (int run = 0; run < 5; run++) {
            long t0 = System.nanoTime();
            a = WalArchiveListing.parse(listing);
            best = Math.min(best, System.nanoTime() - t0);
        }
        assertEquals(20_000, a.segmentCount());
        assertEquals(1, a.gaps().size());
        assertEquals(new WalSegment(1, 12_344).name(), a.gaps().get(0).after());
        assertTrue(best < 50_000_000L, "took " + best / 1_000_000 + " ms");
    }

    private static String line(String name, long mtime) {
        return name + " 16777216 " + mtime + ".0000000000";
    }
}
