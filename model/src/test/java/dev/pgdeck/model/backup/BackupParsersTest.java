package dev.pgdeck.model.backup;

import dev.pgdeck.model.Fixtures;
import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.wal.Lsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupParsersTest {
    private static final String HISTORY = "000000010000000000000002.00000028.backup";

    @Test
    void readsARealBackupHistoryFile() throws ParseException {
        BackupLabel h = BackupLabelParser.parse(HISTORY, Fixtures.read("pg15/" + HISTORY), null);
        assertEquals(Lsn.parse("0/2000028"), h.startLsn());
        assertEquals("000000010000000000000002", h.startSegment());
        assertEquals(Lsn.parse("0/2000170"), h.stopLsn());
        assertEquals(Lsn.parse("0/2000098"), h.checkpointLsn());
        assertEquals("streamed", h.method());
        assertEquals("primary", h.backupFrom());
        assertEquals(OffsetDateTime.of(2026, 11, 23, 15, 19, 47, 0, ZoneOffset.UTC), h.startTime());
        assertEquals(OffsetDateTime.of(2026, 11, 23, 15, 19, 48, 0, ZoneOffset.UTC), h.stopTime());
        assertEquals("pgdeck nightly", h.label());
        assertEquals(1, h.startTimeline());
        assertEquals(1, h.stopTimeline());
        assertTrue(h.hasStop());
        assertEquals(HISTORY, h.historyFileName());
    }

    @Test
    void readsARealBackupLabelWhichHasNoStop() throws ParseException {
        BackupLabel l = BackupLabelParser.parse("backup_label", Fixtures.read("pg15/20251011-120000.backup_label"), null);
        assertFalse(l.hasStop());
        assertNull(l.stopTime());
        assertNull(l.stopTimeline());
        assertEquals(HISTORY, l.historyFileName());
    }

    @Test
    void zoneAbbreviationsNeedTheHostZone() throws ParseException {
        String text = Fixtures.read("pg15/" + HISTORY).replace(" UTC", " CEST");
        ParseException e = assertThrows(ParseException.class, () -> BackupLabelParser.parse(HISTORY, text, null));
        assertTrue(e.getMessage().contains("START TIME"), e.getMessage());
        assertTrue(e.getMessage().contains("host's time zone"), e.getMessage());
        BackupLabel h = BackupLabelParser.parse(HISTORY, text, ZoneId.of("Europe/Berlin"));
        assertEquals(ZoneOffset.ofHours(1), h.startTime().getOffset());  // 23 November is winter time
        String numeric = Fixtures.read("pg15/" + HISTORY).replace(" UTC", " +0530");
        assertEquals(ZoneOffset.ofHoursMinutes(5, 30), BackupLabelParser.parse(HISTORY, numeric, null).stopTime().getOffset());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "START WAL LOCATION 0/2000028",
            "START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\nCHECKPOINT LOCATION: 0/2000098",
            "START WAL LOCATION: nope\nCHECKPOINT LOCATION: 0/2000098\nSTART TIME: 2026-11-23 15:19:47 UTC\nSTART TIMELINE: 1"})
    void rejectsBadLabels(String text) {
        ParseException e = assertThrows(ParseException.class, () -> BackupLabelParser.parse("backup_label", text, null));
        assertTrue(e.getMessage().startsWith("backup_label"), e.getMessage());
    }

    @Test
    void truncatedHistoryFileNamesTheMissingStopLine() {
        String full = Fixtures.read("pg15/" + HISTORY);
        for (String key : new String[] {"STOP TIME", "STOP TIMELINE"}) {
            String cut = full.substring(0, full.indexOf(key + ":"));
            ParseException e = assertThrows(ParseException.class, () -> BackupLabelParser.parse(HISTORY, cut, null));
            assertTrue(e.getMessage().contains("no \"" + key + ":\" line"), e.getMessage());
        }
        String midLine = full.substring(0, full.indexOf("STOP WAL LOCATION") + 25);
        assertThrows(ParseException.class, () -> BackupLabelParser.parse(HISTORY, midLine, null));
    }

    @Test
    void readsARealManifestAndChecksItsChecksum() throws ParseException {
        BackupManifest m = BackupManifestParser.parse("backup_manifest", Fixtures.read("pg15/20251011-120000.backup_manifest"));
        assertEquals(1, m.version());
        assertTrue(m.fileCount() > 900, "files: " + m.fileCount());
        assertTrue(m.totalSize() > 20_000_000, "size: " + m.totalSize());
        assertEquals(1, m.walRanges().size());
        assertEquals(new WalRange(1, Lsn.parse("0/2000028"), Lsn.parse("0/2000170")), m.lastWalRange());
        assertEquals("b631ab71616427de3f9b9251826c3aec82d7046b576e7a30f81984cf883a5100", m.checksum());
    }

    @Test
    void anEditedManifestFailsItsChecksum() {
        String text = Fixtures.read("pg15/20251011-120000.backup_manifest").replaceFirst("\"Size\": 214", "\"Size\": 215");
        ParseException e = assertThrows(ParseException.class, () -> BackupManifestParser.parse("backup_manifest", text));
        assertTrue(e.getMessage().contains("checksum does not match"), e.getMessage());
    }

    @Test
    void truncatedGarbageAndEmptyManifestsAreErrors() {
        String full = Fixtures.read("pg15/20251011-120000.backup_manifest");
        for (String text : new String[] {"", full.substring(0, full.length() / 2), "{\"Files\": []}",
                "{\"PostgreSQL-Backup-Manifest-Version\": 9}", "not json at all", "[]"}) {
            ParseException e = assertThrows(ParseException.class, () -> BackupManifestParser.parse("backup_manifest", text));
            assertTrue(e.getMessage().startsWith("backup_manifest"), e.getMessage());
        }
    }

    @Test
    void combinesHistoryAndManifestIntoABaseBackup() throws ParseException {
        BackupLabel h = BackupLabelParser.parse(HISTORY, Fixtures.read("pg15/" + HISTORY), null);
        BackupManifest m = BackupManifestParser.parse("backup_manifest", Fixtures.read("pg15/20251011-120000.backup_manifest"));
        BaseBackup b = BaseBackup.of("20251011-120000", h, m);
        assertEquals("20251011-120000", b.label());
        assertEquals(h.startTime(), b.startTime());
        assertEquals(h.stopTime(), b.stopTime());
        assertEquals(Lsn.parse("0/2000028"), b.startLsn());
        assertEquals(Lsn.parse("0/2000170"), b.stopLsn());
        assertEquals(1, b.timeline());
        assertEquals(m.totalSize(), b.sizeBytes());
        assertEquals("pgdeck nightly", b.pgLabel());

        BaseBackup fromManifestOnly = BaseBackup.of("20251012-120000", null,
                BackupManifestParser.parse("m", Fixtures.read("pg15/20251012-120000.backup_manifest")));
        assertEquals(2, fromManifestOnly.timeline());
        assertEquals(Lsn.parse("0/5000100"), fromManifestOnly.stopLsn());
        assertNull(fromManifestOnly.stopTime());
    }
}
