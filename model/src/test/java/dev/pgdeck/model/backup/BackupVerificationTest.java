package dev.pgdeck.model.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackupVerificationTest {
    @Test
    void successNeedsBothTheStatusAndPgVerifybackupsWords() {
        BackupVerification ok = BackupVerification.of("b", 0, "pgdeck-wal: backup\nbackup successfully verified\n", "");
        assertTrue(ok.ok());
        assertEquals("the backup", ok.walSource());

        BackupVerification silent = BackupVerification.of("b", 0, "", "");
        assertFalse(silent.ok(), "exit 0 without the words is not a verified backup");
        assertEquals(List.of("pg_verifybackup ended with exit status 0 without saying why"), silent.problems());
    }

    @Test
    void problemsLoseTheirProgramPrefixes() {
        BackupVerification v = BackupVerification.of("b", 1, "pgdeck-wal: archive\n",
                "pg_waldump: error: could not find file \"000000010000000000000004\": No such file or directory\n"
                        + "pg_verifybackup: error: WAL parsing failed for timeline 1\n\n");
        assertFalse(v.ok());
        assertEquals("the WAL archive", v.walSource());
        assertEquals(List.of("WAL: could not find file \"000000010000000000000004\": No such file or directory",
                "WAL parsing failed for timeline 1"), v.problems());
    }

    @Test
    void notInstalledGarbageAndTruncatedOutput() {
        assertTrue(BackupVerification.of("b", 127, "", "sh: 1: pg_verifybackup: not found").problems().get(0)
                .startsWith("pg_verifybackup is not installed"));
        BackupVerification garbage = BackupVerification.of("b", 2, "\u0000\u0001 binary", "\u0000garbage");
        assertFalse(garbage.ok());
        assertEquals(List.of("\u0000garbage"), garbage.problems());
        assertFalse(BackupVerification.of("b", 0, "backup successfully verif", "").ok(), "truncated");
        assertTrue(BackupVerification.of("b", 1, "", "").problems().get(0).contains("exit status 1"));
    }
}
