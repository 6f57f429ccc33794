package dev.pgdeck.app.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.backup.BackupVerification;
import org.junit.jupiter.api.Test;

/** The session's verification results: per host, instance and backup; a run that ended without a result keeps the old one. */
class BackupVerificationsTest {
    private static final String LABEL = "20251011-120000";

    @Test
    void notVerifiedThenRunningThenOk() {
        BackupVerifications v = new BackupVerifications();
        assertEquals("not verified yet", v.text("forge", "main", LABEL));
        v.started("forge", "main", LABEL);
        assertEquals("verifying…", v.text("forge", "main", LABEL));
        assertNull(v.ok("forge", "main", LABEL));
        v.ended("forge", "main", LABEL, BackupVerification.of(LABEL, 0, "pgdeck-wal: backup\nbackup successfully"
                + " verified\n", ""));
        assertEquals("ok (WAL checked in the backup)", v.text("forge", "main", LABEL));
        assertTrue(v.ok("forge", "main", LABEL));
        assertEquals("not verified yet", v.text("forge", "dev", LABEL), "another instance's backup of that name");
        assertEquals("not verified yet", v.text("nas", "main", LABEL), "another host's");
    }

    @Test
    void theProblemsInWordsAndACancelledRunKeepsTheLastResult() {
        BackupVerifications v = new BackupVerifications();
        v.ended("forge", "main", LABEL, BackupVerification.of(LABEL, 1, "pgdeck-wal: backup\n",
                "pg_verifybackup: error: checksum mismatch for file \"base/5/1259\"\n"));
        assertEquals("checksum mismatch for file \"base/5/1259\"", v.text("forge", "main", LABEL));
        assertFalse(v.ok("forge", "main", LABEL));
        int changes = v.changes().get();
        v.started("forge", "main", LABEL);
        v.ended("forge", "main", LABEL, null);
        assertEquals("checksum mismatch for file \"base/5/1259\"", v.text("forge", "main", LABEL));
        assertEquals(changes + 2, v.changes().get(), "the table redraws on each change");
    }
}
