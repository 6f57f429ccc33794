package dev.pgdeck.remote.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandLogEntry;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.pg.InstancePool;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.testing.PostgresServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InstanceProbeTest {
    @RegisterExtension
    static PostgresServerExtension pg = new PostgresServerExtension();

    @Test
    void readsAServerThatHasNeverArchived() throws Exception {
        Path backups = pg.directory().resolve("backups");
        Files.createDirectories(backups.resolve("20251011-120000"));
        Files.createDirectories(backups.resolve("not-a-backup"));
        LoggedSql sql = new LoggedSql(pg.dataSource(), pg.log(), "test/main");
        InstanceStatus status = new InstanceProbe(new LocalShell("test", pg.log()))
                .probe(new InstanceTarget("main", pg.port(), backups.toString(), sql));

        assertTrue(status.running());
        assertTrue(status.version().matches("\\d+\\.\\d+"), status.version());
        assertTrue(status.dataSizeBytes() > 1_000_000);
        assertEquals(1, status.baseBackupCount());
        assertEquals(0, status.archiver().archivedCount());
        assertNull(status.archiver().lastArchivedWal(), "NULL before the first archive");
        assertNull(status.archiver().lastArchivedTime());
        assertTrue(pg.log().entries().stream().anyMatch(e -> e.kind() == CommandLogEntry.Kind.SQL
                && e.text().contains("pg_stat_archiver")));
    }

    @Test
    void aServerThatIsNotThereIsReportedDownWithTheReason() throws Exception {
        int closedPort = pg.port() + 1;
        try (InstancePool nowhere = InstancePool.open("nowhere", "127.0.0.1", closedPort, "postgres", "postgres", true)) {
            LoggedSql sql = new LoggedSql(nowhere.dataSource(), pg.log(), "test/gone");
            InstanceStatus status = new InstanceProbe(new LocalShell("test", pg.log()))
                    .probe(new InstanceTarget("gone", closedPort, pg.directory().resolve("none").toString(), sql));
            assertFalse(status.running());
            assertEquals(0, status.baseBackupCount());
            assertTrue(status.error().contains("cannot query the server on port " + closedPort), status.error());
        }
    }
}
