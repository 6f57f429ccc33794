package dev.pgdeck.model.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryLogReaderTest {
    @Test
    void aSuccessfulRecoveryIsFollowedToItsNewTimeline() {
        RecoveryProgress p = RecoveryLogReader.read(Fixtures.read("restore/drill-name.log"));
        assertEquals(3, p.restoredSegments());
        assertEquals("000000010000000000000006", p.lastRestored());
        assertTrue(p.consistent());
        assertEquals("recovery stopping at restore point \"sandbox-late-events-loaded\", time 2026-11-23"
                + " 18:06:04.998116+00", p.stoppingLine());
        assertEquals(2, p.newTimeline());
        assertFalse(p.serverStopped(), "our own poll's \"starting up\" FATAL is not the server's end");
        assertEquals(List.of(), p.fatalLines());
        assertNull(p.problem());
    }

    @Test
    void recoveryThatEndedBeforeItsTargetIsExplainedInWords() {
        RecoveryProgress p = RecoveryLogReader.read(Fixtures.read("restore/ended-before-target.log"));
        assertTrue(p.endedBeforeTarget());
        assertTrue(p.serverStopped());
        assertFalse(p.stopped());
        assertTrue(p.problem().startsWith("recovery ended before the target was reached: the archived WAL after the"
                + " base backup does not contain the target"), p.problem());
    }

    @Test
    void aPausedRecoveryOffersResumeOrPromote() {
        RecoveryProgress p = RecoveryLogReader.read("2026-11-23 18:20:01.000 UTC [8001] LOG:  recovery has paused\n");
        assertTrue(p.paused());
        assertTrue(p.problem().contains("pg_wal_replay_resume()") && p.problem().contains("pg_promote()"));
    }
}
