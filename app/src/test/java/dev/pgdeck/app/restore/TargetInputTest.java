package dev.pgdeck.app.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pgdeck.model.restore.RecoveryTarget.Kind;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class TargetInputTest {
    private static final LocalDate DAY = LocalDate.of(2025, 10, 11);

    @Test
    void theTimeFieldsAreReadAsUtc() {
        assertEquals("time 2025-10-11T14:30:00Z", TargetInput.parse(Kind.TIME, DAY, "14:30", "", "", "").describe());
        assertEquals("time 2025-10-11T14:30:05.25Z",
                TargetInput.parse(Kind.TIME, DAY, " 14:30:05.25 ", "", "", "").describe());
    }

    @Test
    void onlyTheChosenKindsFieldCounts() {
        assertEquals("xid 742", TargetInput.parse(Kind.XID, null, "nonsense", "742", "", "").describe());
        assertEquals("name before upgrade",
                TargetInput.parse(Kind.NAME, null, "", "x", " before upgrade ", "").describe());
        assertEquals("lsn 0/15007A8", TargetInput.parse(Kind.LSN, null, "", "", "", "0/15007A8").describe());
        assertEquals("latest", TargetInput.parse(Kind.LATEST, null, "", "", "", "").describe());
        assertEquals("immediate", TargetInput.parse(Kind.IMMEDIATE, null, "", "", "", "").describe());
    }

    @Test
    void aBadFieldIsNamedInTheMessage() {
        assertEquals("choose the target date", assertThrows(IllegalArgumentException.class,
                () -> TargetInput.parse(Kind.TIME, null, "14:30", "", "", "")).getMessage());
        assertEquals("target time \"2:30 pm\" is not a time of day like 14:30:00", assertThrows(
                IllegalArgumentException.class, () -> TargetInput.parse(Kind.TIME, DAY, "2:30 pm", "", "", ""))
                .getMessage());
        assertEquals("target transaction id \"12a\" is not a transaction number (decimal digits only)",
                assertThrows(IllegalArgumentException.class,
                        () -> TargetInput.parse(Kind.XID, null, "", "12a", "", "")).getMessage());
        assertEquals("a restore point name needs 1 to 63 bytes (PostgreSQL's limit)", assertThrows(
                IllegalArgumentException.class, () -> TargetInput.parse(Kind.NAME, null, "", "", "  ", ""))
                .getMessage());
    }
}
