package dev.pgdeck.model.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Targets are read as PostgreSQL will read them, and "reached" is said only when the server stopped at them. */
class StrictTargetTest {
    private static String refusal(Runnable r) {
        String m = assertThrows(IllegalArgumentException.class, r::run).getMessage();
        assertFalse(m.contains("\n"), m);
        return m;
    }

    @Test
    void xidsAreDecimalWithoutLeadingZerosAndFitIn32Bits() {
        assertTrue(refusal(() -> RecoveryTarget.xid("02577")).contains("starts with 0, which PostgreSQL would read as"
                + " an octal number"));
        assertTrue(refusal(() -> RecoveryTarget.xid("4294967296")).contains("larger than 4294967295"));
        assertTrue(refusal(() -> RecoveryTarget.xid("99999999999")).contains("larger than 4294967295"));
        assertTrue(refusal(() -> RecoveryTarget.xid("99999999999999999999999")).contains("larger than"));
        assertTrue(refusal(() -> RecoveryTarget.xid("0x10")).contains("decimal digits only"));
        assertTrue(refusal(() -> RecoveryTarget.xid("+12")).contains("decimal digits only"));
        assertTrue(refusal(() -> RecoveryTarget.xid("-1")).contains("decimal digits only"));
        assertTrue(refusal(() -> RecoveryTarget.xid("1")).contains("3 or more"));
        assertTrue(refusal(() -> RecoveryTarget.xid("0")).contains("3 or more"));
        assertTrue(refusal(() -> RecoveryTarget.xid("")).contains("decimal digits only"));
        assertEquals("4294967295", RecoveryTarget.xid("4294967295").text());
        assertEquals("2577", RecoveryTarget.xid(" 2577 ").text());
        assertEquals("3", RecoveryTarget.xid("3").text());
    }

    @Test
    void lsnsAreHexSlashHex() {
        assertEquals("0/15007A8", RecoveryTarget.lsn("0/15007a8").lsn().toString());
        assertEquals("FFFFFFFF/FFFFFFFF", RecoveryTarget.lsn("FFFFFFFF/FFFFFFFF").lsn().toString());
        for (String bad : new String[] {"+0/1", "-0/1", "0/+1", "0x0/1", "0/", "/1", "0/123456789", "0 /1", "1",
                "0/1/2", "G/1"}) {
            assertTrue(refusal(() -> RecoveryTarget.lsn(bad)).contains("is not a WAL location"), bad);
        }
    }

    @Test
    void reachedOnlyWhenTheStoppingLineNamesTheTarget() {
        RecoveryTarget xid = RecoveryTarget.xid("2577");
        assertTrue(RecoveryLogReader.stoppedAt(xid, "recovery stopping after commit of transaction 2577, time"
                + " 2026-11-23 18:06:04.998116+00"));
        // PostgreSQL read 02577 as octal: it stopped at 1407, which is not the target shown
        assertFalse(RecoveryLogReader.stoppedAt(xid, "recovery stopping after commit of transaction 1407, time"
                + " 2026-11-23 18:06:04.998116+00"));
        assertFalse(RecoveryLogReader.stoppedAt(xid, "recovery stopping after commit of transaction 25770, time x"));
        assertFalse(RecoveryLogReader.stoppedAt(xid, null));

        RecoveryTarget name = RecoveryTarget.name("before \"it\", x\\");
        assertTrue(RecoveryLogReader.stoppedAt(name, "recovery stopping at restore point \"before \"it\", x\\\", time"
                + " 2026-11-23 18:06:04.998116+00"));
        assertFalse(RecoveryLogReader.stoppedAt(name, "recovery stopping at restore point \"before\", time"
                + " 2026-11-23 18:06:04.998116+00"));

        RecoveryTarget lsn = RecoveryTarget.lsn("0/3000028");
        assertTrue(RecoveryLogReader.stoppedAt(lsn, "recovery stopping after WAL location (LSN) \"0/3000028\""));
        assertTrue(RecoveryLogReader.stoppedAt(lsn, "recovery stopping before WAL location (LSN) \"0/3000060\""));
        assertFalse(RecoveryLogReader.stoppedAt(lsn, "recovery stopping before WAL location (LSN) \"0/2FFFFF0\""));

        RecoveryTarget time = RecoveryTarget.time("2026-11-23T18:06:04Z");
        assertTrue(RecoveryLogReader.stoppedAt(time, "recovery stopping before commit of transaction 900, time"
                + " 2026-11-23 18:06:04.998116+00"));
        assertTrue(RecoveryLogReader.stoppedAt(time, "recovery stopping before abort of transaction 900, time"
                + " 2026-11-23 19:36:05+01:30"));
        assertFalse(RecoveryLogReader.stoppedAt(time, "recovery stopping before commit of transaction 900, time"
                + " 2026-11-23 18:06:03.5+00"));
        assertFalse(RecoveryLogReader.stoppedAt(time, "recovery stopping before commit of transaction 900, time"
                + " 2026-11-23 20:06:03.5+02"));
        assertFalse(RecoveryLogReader.stoppedAt(time, "recovery stopping at restore point \"x\", time"
                + " 2026-11-23 18:06:05+00"));

        assertTrue(RecoveryLogReader.stoppedAt(RecoveryTarget.immediate(),
                "recovery stopping after reaching consistency"));
        assertFalse(RecoveryLogReader.stoppedAt(RecoveryTarget.immediate(),
                "recovery stopping after commit of transaction 5, time 2026-11-23 18:06:05+00"));
        assertTrue(RecoveryLogReader.stoppedAt(RecoveryTarget.latest(), null));
    }

    @Test
    void theLogReadersStoppingLineIsWhatIsChecked() {
        RecoveryProgress p = RecoveryLogReader.read("2026-11-23 18:06:05.001 UTC [7] LOG:  recovery stopping after"
                + " commit of transaction 1407, time 2026-11-23 18:06:04.998116+00\n");
        assertFalse(RecoveryLogReader.stoppedAt(RecoveryTarget.xid("2577"), p.stoppingLine()));
        assertTrue(RecoveryLogReader.stoppedAt(RecoveryTarget.xid("1407"), p.stoppingLine()));
    }
}
