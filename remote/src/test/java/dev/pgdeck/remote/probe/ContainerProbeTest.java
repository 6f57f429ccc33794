package dev.pgdeck.remote.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.pg.LoggedSql;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The probe against the official PostgreSQL image, where a Docker daemon exists; skipped cleanly where none does. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerProbeTest {
    @Container
    static PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:16-alpine");

    @Test
    void readsTheContainersServer() {
        CommandLog log = new CommandLog();
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(postgres.getJdbcUrl());
            ds.setUsername(postgres.getUsername());
            ds.setPassword(postgres.getPassword());
            InstanceStatus status = new InstanceProbe(new LocalShell("docker", log)).probe(
                    new InstanceTarget("main", postgres.getFirstMappedPort(), "/nonexistent",
                            new LoggedSql(ds, log, "docker/main")));
            assertTrue(status.running());
            assertTrue(status.version().startsWith("16."), status.version());
            assertEquals(0, status.baseBackupCount());
        }
    }
}
