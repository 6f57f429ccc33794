package dev.pgdeck.model.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgdeck.model.ParseException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WalDumpLineTest {
    /** pg_waldump 15 over a real segment (TZ=UTC), with the other resource managers' records and its own error. */
    private static final String OUTPUT = """
            rmgr: Heap        len (rec/tot):     59/    59, tx:        728, lsn: 0/01526440, prev 0/01526400, desc: INSERT off 3 flags 0x00, blkref #0: rel 1663/5/16384 blk 0
            rmgr: Transaction len (rec/tot):    162/   162, tx:        727, lsn: 0/01521BA8, prev 0/01521B68, desc: COMMIT 2026-12-07 23:08:52.743295 UTC; inval msgs: catcache 63 catcache 63
            rmgr: Transaction len (rec/tot):     34/    34, tx:        728, lsn: 0/01526480, prev 0/01526440, desc: COMMIT 2026-12-07 23:08:52.755230 UTC
            rmgr: Transaction len (rec/tot):     34/    34, tx:        729, lsn: 0/015264A8, prev 0/01526480, desc: ABORT 2026-12-07 23:08:52.755100 UTC
            rmgr: XLOG        len (rec/tot):     98/    98, tx:          0, lsn: 0/015264D0, prev 0/015264A8, desc: RESTORE_POINT after-b
            rmgr: Transaction len (rec/tot):     42/    42, tx:        730, lsn: 0/01526538, prev 0/015264D0, desc: ASSIGNMENT xtop 730: subxacts: 731
            pg_waldump: error: error in WAL record at 0/1526538: invalid record length at 0/1526560: wanted 24, got 0
            """;

    @Test
    void theLatestCommitOrAbortIsTheSegmentsStopAndRestorePointsAreNot() throws Exception {
        SegmentStops s = WalDumpLine.stopsOf("000000010000000000000001", OUTPUT);
        assertEquals(Instant.parse("2026-12-07T23:08:52.755230Z"), s.lastStop(), "the latest, not the last record's");
        assertEquals(3, s.stops());
        assertNull(s.error());
    }

    @Test
    void preparedTransactionsCarryTheirXidBeforeTheTime() throws Exception {
        WalDumpLine l = WalDumpLine.tryParse("rmgr: Transaction len (rec/tot):     62/    62, tx:          0, lsn:"
                + " 0/03000110, prev 0/030000D8, desc: COMMIT_PREPARED 741: 2026-12-07 23:10:00.000001 UTC;");
        assertEquals("COMMIT_PREPARED", l.identity());
        assertEquals(Lsn.parse("0/3000110"), l.lsn());
        assertEquals(Instant.parse("2026-12-07T23:10:00.000001Z"), l.recoveryStopTime());
        assertNull(WalDumpLine.tryParse("rmgr: Transaction len (rec/tot):     70/    70, tx:        741, lsn:"
                + " 0/03000098, prev 0/03000060, desc: PREPARE gid t1: 2026-12-07 23:09:59.000000 UTC")
                .recoveryStopTime());
    }

    @Test
    void aTimeInAnotherZoneOrAMangledLineFailsTheSegmentInsteadOfHidingAStop() {
        assertThrows(ParseException.class, () -> WalDumpLine.stopsOf("s", "rmgr: Transaction len (rec/tot):"
                + "     34/    34, tx:        728, lsn: 0/01526480, prev 0/01526440, desc: COMMIT 2026-12-07"
                + " 23:08:52.755230 CET\n"));
        assertThrows(ParseException.class, () -> WalDumpLine.stopsOf("s", "rmgr: Transaction tx: 1\n"));
        assertEquals(0, assertDoesNotThrow("pg_waldump: error: could not find file \"x\"\n").stops());
    }

    private static SegmentStops assertDoesNotThrow(String output) {
        try {
            return WalDumpLine.stopsOf("s", output);
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }
}
