package dev.pgdeck.model.wal;

import dev.pgdeck.model.ParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WalNamesTest {
    @Test
    void lsnRoundTripsAndMapsToSegments() throws ParseException {
        Lsn lsn = Lsn.parse("0/15007A8");
        assertEquals(0x15007A8L, lsn.value());
        assertEquals("0/15007A8", lsn.toString());
        assertEquals("000000010000000000000001", lsn.segmentName(1));
        assertEquals(0x5007A8, lsn.offsetInSegment());
        assertEquals("16/B374D848", Lsn.parse("16/b374d848").toString());
        assertEquals("0000000200000016000000B3", Lsn.parse("16/B374D848").segmentName(2));
    }

    @Test
    void lsnOnABoundaryBelongsToTheSegmentStartingThere() throws ParseException {
        Lsn boundary = Lsn.parse("0/3000000");
        assertEquals("000000010000000000000003", boundary.segmentName(1));
        assertEquals("000000010000000000000002", boundary.segmentOfPreviousByte(1).name());
    }

    @Test
    void bytesBetweenLsns() throws ParseException {
        assertEquals(0x170 - 0x28, Lsn.parse("0/2000170").bytesSince(Lsn.parse("0/2000028")));
        assertEquals(0x1_0000_0000L, Lsn.parse("1/0").bytesSince(Lsn.parse("0/0")));
        assertTrue(Lsn.parse("1/0").isAfter(Lsn.parse("0/FFFFFFFF")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "0/", "/1", "0/G", "01234567890/1", "0/123456789", "0-1", "x/y", "-1/0"})
    void rejectsBadLsns(String text) {
        ParseException e = assertThrows(ParseException.class, () -> Lsn.parse(text));
        assertTrue(e.getMessage().contains("an LSN like 0/15007A8"), e.getMessage());
    }

    @Test
    void segmentNamesRoundTripAcrossTheLogBoundary() throws ParseException {
        WalSegment s = WalSegment.parse("0000000100000000000000FF");
        assertEquals(255, s.number());
        assertEquals("000000010000000100000000", s.next().name());
        assertEquals(s, s.next().previous());
        assertEquals("0/FF000000", s.startLsn().toString());
        assertEquals("1/0", s.endLsn().toString());
        assertEquals(2, s.distanceTo(WalSegment.parse("000000010000000100000001")));
        assertEquals("000000030000001200000034", new WalSegment(3, 0x12 * 256 + 0x34).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00000001000000000000000", "0000000100000000000000010", "000000000000000000000001",
            "000000010000000000000100", "00000001000000000000000g", "garbage garbage garbage!"})
    void rejectsBadSegmentNames(String name) {
        assertNull(WalSegment.tryParse(name));
        assertThrows(ParseException.class, () -> WalSegment.parse(name));
    }

    @Test
    void recognisesEveryArchiveFileKind() throws ParseException {
        WalFileName seg = WalFileName.parse("000000010000000000000006");
        assertEquals(WalFileName.Kind.SEGMENT, seg.kind());
        WalFileName backup = WalFileName.parse("000000010000000000000006.00000028.backup");
        assertEquals(WalFileName.Kind.BACKUP_HISTORY, backup.kind());
        assertEquals(0x28, backup.backupOffset());
        assertEquals(6, backup.segment().number());
        WalFileName partial = WalFileName.parse("000000020000000000000006.partial");
        assertEquals(WalFileName.Kind.PARTIAL, partial.kind());
        assertEquals(2, partial.timeline());
        WalFileName history = WalFileName.parse("0000000A.history");
        assertEquals(WalFileName.Kind.TIMELINE_HISTORY, history.kind());
        assertEquals(10, history.timeline());
        assertNull(history.segment());
    }

    @ParameterizedTest
    @ValueSource(strings = {"00000000.history", "0000001.history", "000000010000000000000006.0000028.backup",
            "000000010000000000000006.01000000.backup", "000000010000000000000006.partial.tmp", "archive_status", ""})
    void otherNamesAreNotWalFiles(String name) {
        assertNull(WalFileName.tryParse(name));
        ParseException e = assertThrows(ParseException.class, () -> WalFileName.parse(name));
        assertTrue(e.getMessage().contains(".history"), e.getMessage());
    }

    @Test
    void buildsHistoryFileNames() throws ParseException {
        assertEquals("000000010000000000000002.00000028.backup",
                WalFileName.backupHistoryName(1, Lsn.parse("0/2000028")));
        assertEquals("00000003.history", WalFileName.timelineHistoryName(3));
    }
}
