package dev.pgdeck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaseBackupNamesTest {
    @Test
    void parsesTimestampNames() {
        assertEquals(LocalDateTime.of(2025, 10, 11, 12, 0, 0), BaseBackupNames.parse("20251011-120000").orElseThrow());
        assertTrue(BaseBackupNames.parse("20251311-120000").isEmpty());
        assertTrue(BaseBackupNames.parse("latest").isEmpty());
    }

    @Test
    void listingKeepsOnlyBackupDirectoriesOldestFirst() {
        String ls = "20251012-120000\nlost+found\n20251011-120000/\n.tmp\n\n";
        assertEquals(List.of("20251011-120000", "20251012-120000"), BaseBackupNames.fromListing(ls));
    }

    @Test
    void theTablespacesOfABackupAreItsOidTarsInNumericOrder() {
        assertEquals(List.of("16384", "100000"), BaseBackupNames.tablespaceOids(List.of("base.tar.gz",
                "pg_wal.tar.gz", "backup_manifest", "100000.tar", "16384.tar.gz", "16384.tar", "0.tar.gz",
                "16384.tar.gz.tmp", "x16384.tar.gz", "99999999999.tar.gz")));
        assertEquals(List.of(), BaseBackupNames.tablespaceOids(List.of("base.tar.gz", "pg_wal.tar.gz")));
    }
}
