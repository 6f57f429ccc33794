package dev.pgdeck.model.wal;

import dev.pgdeck.model.Fixtures;
import dev.pgdeck.model.ParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimelineHistoryTest {
    @Test
    void readsRealHistoryFilesWithTheirBlankLines() throws ParseException {
        TimelineHistory h2 = TimelineHistory.parse(2, Fixtures.read("pg15/00000002.history"));
        assertEquals(1, h2.switches().size());
        assertEquals(new TimelineSwitch(1, Lsn.parse("0/4000000"), "no recovery target specified"), h2.switches().get(0));

        TimelineHistory h3 = TimelineHistory.parse(3, Fixtures.read("pg15/00000003.history"));
        assertEquals(2, h3.switches().size());
        assertEquals("at restore point \"before-drop\"", h3.switches().get(1).reason());
        assertEquals(Lsn.parse("0/6311078"), h3.branchPoint());
        assertEquals(2, h3.parent());
        assertEquals(1, h3.timelineAt(Lsn.parse("0/3FFFFFF")));
        assertEquals(2, h3.timelineAt(Lsn.parse("0/4000000")));
        assertEquals(3, h3.timelineAt(Lsn.parse("0/6311078")));
        assertTrue(h3.descendsFrom(1));
        assertFalse(h2.descendsFrom(3));
    }

    @Test
    void skipsComments() throws ParseException {
        assertEquals(1, TimelineHistory.parse(2, "# made by hand\n1\t0/4000000\tx\n").switches().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "1", "1\t0/4000000G\tx", "x\t0/4000000\tx", "2\t0/4000000\tx",
            "1\t0/5000000\tx\n1\t0/6000000\ty", "<!doctype html>"})
    void rejectsBadHistories(String text) {
        ParseException e = assertThrows(ParseException.class, () -> TimelineHistory.parse(2, text));
        assertTrue(e.getMessage().startsWith("00000002.history"), e.getMessage());
    }
}
