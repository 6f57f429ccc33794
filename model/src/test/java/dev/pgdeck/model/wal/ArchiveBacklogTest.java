package dev.pgdeck.model.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgdeck.model.ParseException;
import org.junit.jupiter.api.Test;

class ArchiveBacklogTest {
    /**
     * The archive right after an in-place restore to 0/5000100 promoted timeline 2 (as PostgreSQL 15 leaves it):
     * timeline 1's segments, its history file, timeline 1's last segment as .partial, a backup history file.
     */
    private static final String AFTER_SWITCH = """
            000000010000000000000001 16777216 1760140800.0000000000
            000000010000000000000002 16777216 1760140860.0000000000
            000000010000000000000002.00000028.backup 339 1760140860.5000000000
            000000010000000000000003 16777216 1760140920.0000000000
            000000010000000000000004 16777216 1760140980.0000000000
            000000010000000000000005 16777216 1760141040.0000000000
            000000010000000000000006 16777216 1760141100.0000000000
            00000002.history 42 1760141400.0000000000
            000000010000000000000005.partial 16777216 1760141400.5000000000
            """;
    private static final TimelineHistory TL2 = history();

    private static TimelineHistory history() {
        try {
            return TimelineHistory.parse(2, "1\t0/5000100\tat restore point \"after-b\"\n");
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void justAfterASwitchNothingOfTheNewTimelineIsBehindWhateverLastArchivedWalNames() throws Exception {
        WalArchive archive = WalArchiveListing.parse(AFTER_SWITCH);
        WalSegment current = WalSegment.parse("000000020000000000000005");
        Lsn lsn = Lsn.parse("0/5000400");
        for (String last : new String[] {"00000002.history", "000000010000000000000005.partial",
                "000000010000000000000002.00000028.backup", "000000010000000000000006", null}) {
            assertEquals(new ArchiveBacklog(0, 0x300), ArchiveBacklog.of(current, lsn, last, archive, TL2), last);
            assertEquals(new ArchiveBacklog(0, 0x300), ArchiveBacklog.of(current, lsn, last, null, TL2), last);
        }
    }

    @Test
    void segmentsOfTheNewTimelineNotYetArchivedCount() throws Exception {
        WalArchive archive = WalArchiveListing.parse(AFTER_SWITCH
                + "000000020000000000000005 16777216 1760141500.0000000000\n");
        WalSegment current = WalSegment.parse("000000020000000000000008");
        Lsn lsn = Lsn.parse("0/8000010");
        // 2/5 archived: 2/6 and 2/7 are finished and wait
        assertEquals(new ArchiveBacklog(2, 2 * WalSegment.SIZE + 0x10),
                ArchiveBacklog.of(current, lsn, "000000020000000000000005", archive, TL2));
        // the history file named last: the listing still shows 2/5
        assertEquals(new ArchiveBacklog(2, 2 * WalSegment.SIZE + 0x10),
                ArchiveBacklog.of(current, lsn, "00000002.history", archive, TL2));
        // no listing: only a segment name of this timeline says how far archiving got
        assertEquals(new ArchiveBacklog(2, 2 * WalSegment.SIZE + 0x10),
                ArchiveBacklog.of(current, lsn, "000000020000000000000005", null, TL2));
        assertEquals(new ArchiveBacklog(3, 3 * WalSegment.SIZE - 0x100 + 0x10),
                ArchiveBacklog.of(current, lsn, "00000002.history", null, TL2));
    }

    @Test
    void timelineOneCountsFromTheStart() throws Exception {
        WalArchive archive = WalArchiveListing.parse(AFTER_SWITCH);
        WalSegment current = WalSegment.parse("000000010000000000000009");
        assertEquals(new ArchiveBacklog(2, 2 * WalSegment.SIZE + 8),
                ArchiveBacklog.of(current, Lsn.parse("0/9000008"), "000000010000000000000006", archive, null));
        assertEquals(new ArchiveBacklog(8, 8 * WalSegment.SIZE + 8),
                ArchiveBacklog.of(current, Lsn.parse("0/9000008"), null, null, null));
    }
}
