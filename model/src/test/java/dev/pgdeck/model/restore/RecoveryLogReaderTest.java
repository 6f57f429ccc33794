package dev.pgdeck.model.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecoveryLogReaderTest {
    @Test
    void clientsTurnedAwayDuringRecoveryAreNotTheServerStopping() {
        String log = """
                2026-11-23 18:18:20.101 UTC [12990] LOG:  starting archive recovery
                2026-11-23 18:18:20.301 UTC [12990] LOG:  restored log file "000000010000000000000005" from archive
                2026-11-23 18:18:22.221 UTC [13007] FATAL:  the database system is starting up
                2026-11-23 18:18:22.721 UTC [13008] FATAL:  the database system is not yet accepting connections
                """;
        RecoveryProgress p = RecoveryLogReader.read(log);
        assertEquals(1, p.restoredSegments());
        assertTrue(p.fatalLines().isEmpty(), String.valueOf(p.fatalLines()));
        assertNull(p.problem());
    }

    @Test
    void aServerThatStopsIsStillReported() {
        String log = """
                2026-11-23 18:18:22.221 UTC [13007] FATAL:  the database system is starting up
                2026-11-23 18:18:23.000 UTC [12990] FATAL:  could not locate required checkpoint record
                """;
        RecoveryProgress p = RecoveryLogReader.read(log);
        assertEquals(1, p.fatalLines().size());
        assertTrue(p.problem().endsWith("FATAL:  could not locate required checkpoint record"), p.problem());
    }
}
