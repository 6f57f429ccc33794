package dev.pgdeck.model.systemd;

import dev.pgdeck.model.Fixtures;
import dev.pgdeck.model.ParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SystemctlTest {
    @Test
    void readsTimers() throws ParseException {
        List<TimerStatus> timers = SystemctlParser.timers(Fixtures.read("systemd/list-timers-v252.json"));
        assertEquals(7, timers.size());
        TimerStatus wal = timers.get(0);
        assertEquals("restic-backups-postgresql-main-wal.timer", wal.unit());
        assertEquals(List.of("restic-backups-postgresql-main-wal.service"), wal.activates());
        assertEquals(Instant.parse("2025-10-11T12:10:00Z"), wal.next());
        assertEquals(Instant.parse("2025-10-11T12:05:00.412345Z"), wal.last());
        TimerStatus neverRan = timers.get(5);
        assertEquals("postgresql-basebackup-dev.timer", neverRan.unit());
        assertNull(neverRan.last());
        TimerStatus unscheduled = timers.get(6);
        assertNull(unscheduled.next());
    }

    @Test
    void readsNewerSystemdWithMonotonicPassedAndSeveralActivatedUnits() throws ParseException {
        List<TimerStatus> timers = SystemctlParser.timers(Fixtures.read("systemd/list-timers-v256.json"));
        TimerStatus logrotate = timers.get(3);
        assertEquals(List.of("logrotate.service", "logrotate-check.service"), logrotate.activates());
        assertNull(logrotate.last());
        assertEquals(Instant.parse("2025-10-11T12:05:00.412345Z"), timers.get(0).last());
    }

    @Test
    void readsFailedUnits() throws ParseException {
        List<FailedUnit> failed = SystemctlParser.failedUnits(Fixtures.read("systemd/list-units-failed.json"));
        assertEquals(1, failed.size());
        assertEquals("restic-backups-postgresql-main-wal.service", failed.get(0).unit());
        assertEquals("failed", failed.get(0).active());
        assertTrue(SystemctlParser.failedUnits(Fixtures.read("systemd/list-units-failed-none.json")).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "NEXT LEFT LAST PASSED UNIT ACTIVATES", "{}", "[{\"next\":1}]",
            "[{\"unit\":\"a.timer\",\"next\":\"Sat 2025-10-11\",\"last\":null}]",
            "[{\"unit\":\"a.timer\",\"last\":null}]", "[{\"unit\":\"a.timer\",\"next\":-5,\"last\":null}]",
            "[{\"unit\":\"a.timer\",\"next\":null,\"last\":null,\"activates\":[1]}]"})
    void rejectsGarbageTimers(String text) {
        ParseException e = assertThrows(ParseException.class, () -> SystemctlParser.timers(text));
        assertTrue(e.getMessage().startsWith(SystemctlParser.TIMERS), e.getMessage());
    }

    @Test
    void rejectsTruncatedAndGarbageUnitLists() {
        String full = Fixtures.read("systemd/list-units-failed.json");
        for (String text : new String[] {"", full.substring(0, full.length() / 2), "[{\"load\":\"loaded\"}]", "0 loaded units listed."}) {
            ParseException e = assertThrows(ParseException.class, () -> SystemctlParser.failedUnits(text));
            assertTrue(e.getMessage().startsWith(SystemctlParser.FAILED), e.getMessage());
        }
        String timers = Fixtures.read("systemd/list-timers-v252.json");
        assertThrows(ParseException.class, () -> SystemctlParser.timers(timers.substring(0, timers.length() - 30)));
    }
}
