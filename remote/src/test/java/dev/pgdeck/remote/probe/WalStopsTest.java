package dev.pgdeck.remote.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.wal.SegmentStops;
import dev.pgdeck.remote.hosts.HostProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WalStopsTest {
    private static final String SEGMENT = "000000010000000000000003";
    private static final String COMMIT = "rmgr: Transaction len (rec/tot):     34/    34, tx:        728, lsn:"
            + " 0/03526480, prev 0/03526440, desc: COMMIT 2026-12-07 23:08:52.755230 UTC\n";

    private static CommandBatch.PartResult run(int exit, String out, String err) {
        return new CommandBatch.PartResult(SEGMENT, HostCommand.of("pg_waldump"), exit, out, err);
    }

    @Test
    void theErrorsPgWaldumpEndsEveryUnswitchedSegmentWithStillMeanTheSegmentWasRead() {
        SegmentStops s = WalStops.stops(run(1, COMMIT, "pg_waldump: error: error in WAL record at 0/3526528:"
                + " invalid record length at 0/3526560: wanted 24, got 0\n"));
        assertTrue(s.readable());
        assertEquals(Instant.parse("2026-12-07T23:08:52.755230Z"), s.lastStop());
        SegmentStops none = WalStops.stops(run(1, "", "pg_waldump: error: could not find file"
                + " \"000000010000000000000004\": No such file or directory\n"));
        assertTrue(none.readable(), "a segment without commits whose last record continues into the next file");
        assertNull(none.lastStop());
    }

    @Test
    void aFileThatIsNotWalIsUnreadableWithPgWaldumpsReason() {
        SegmentStops s = WalStops.stops(run(1, "", "pg_waldump: error: could not find a valid record after"
                + " 0/3000000\n"));
        assertFalse(s.readable());
        assertEquals("pg_waldump: error: could not find a valid record after 0/3000000", s.error());
    }

    @Test
    void onlyPgWaldumpOptionsAndSegmentNamesReachTheHost() {
        WalDump dump = new WalDump(null, HostProfile.builtIn("sandbox"), HostProfile.builtIn("sandbox")
                .values(Map.of("root", "/srv"), "main", 5432));
        assertThrows(IllegalArgumentException.class,
                () -> dump.run(List.of(SEGMENT), List.of("--rmgr=Transaction;id"), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> dump.run(List.of("../../etc/passwd"), List.of("--rmgr=Transaction"), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> dump.run(List.of(SEGMENT), List.of("--rmgr=Transaction *"), Duration.ofSeconds(1)));
    }
}
