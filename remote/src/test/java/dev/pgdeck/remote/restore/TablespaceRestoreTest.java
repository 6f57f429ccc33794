package dev.pgdeck.remote.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.testing.ArchivingCluster;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Restores of an instance with a tablespace outside its data directory (issue 12, finding 2): a real PostgreSQL 15
 * with table {@code big} (40,000 rows at the backup) in tablespace {@code ts1} and table {@code small} (20,000) in
 * the default one, and a {@code pg_basebackup -Ft -z -Xstream} that has {@code base.tar.gz} (with a
 * {@code tablespace_map}), {@code <oid>.tar.gz} and {@code pg_wal.tar.gz}. After the backup both tables change up to
 * restore point "target" (45,000 / 15,000) and again after it (50,000 / 0).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TablespaceRestoreTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();

    static final String LABEL = "20251011-120000";
    static ArchivingCluster pg;
    static String oid;

    @BeforeAll
    static void buildHost() throws Exception {
        // no autovacuum: nothing but the tests themselves may write into the live tablespace
        pg = ArchivingCluster.start("tablespace", Map.of("autovacuum", "off"), "ts1");
        LoggedSql sql = pg.sql();
        oid = sql.queryOne("SELECT oid::text FROM pg_tablespace WHERE spcname = 'ts1'", r -> r.getString(1));
        sql.execute("CREATE TABLE big (id int PRIMARY KEY, v text) TABLESPACE ts1");
        sql.execute("INSERT INTO big SELECT i, 'before' FROM generate_series(1, 40000) i");
        sql.execute("CREATE TABLE small (id int PRIMARY KEY, v text)");
        sql.execute("INSERT INTO small SELECT i, 'before' FROM generate_series(1, 20000) i");
        pg.switchAndWait();
        pg.baseBackup(LABEL, "-Xstream", "-l", "tablespace backup");
        pg.awaitBackupHistories(1, "backup history file");
        sql.execute("INSERT INTO big SELECT i, 'to-target' FROM generate_series(40001, 45000) i");
        sql.execute("DELETE FROM small WHERE id > 15000");
        new HostActions(pg.shell(), HostProfile.builtIn("sandbox"), pg.values(), Clock.systemUTC())
                .createRestorePoint("main", pg.port(), "target");
        sql.execute("INSERT INTO big SELECT i, 'after' FROM generate_series(45001, 50000) i");
        sql.execute("DELETE FROM small");
        pg.switchAndWait();
        sql.execute("CHECKPOINT");
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    @Order(1)
    void theBackupHasTheTablespacesTarAndItsMapInBaseTar() throws Exception {
        Path dir = pg.backups().resolve(LABEL);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(oid + ".tar.gz", "backup_manifest", "base.tar.gz", "pg_wal.tar.gz"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        CommandResult map = pg.shell().run(HostCommand.of("tar", "-xzOf", dir.resolve("base.tar.gz").toString(),
                "tablespace_map"), Duration.ofSeconds(30));
        assertTrue(map.succeeded(), map.describeFailure());
        assertEquals(oid + " " + pg.tablespaceDir() + "\n", map.stdout());
        assertEquals(List.of(50000L, 0L), counts(pg.sql()), "the live instance after the changes");
    }

    /** The rows of {@code big} and {@code small}. */
    static List<Long> counts(LoggedSql sql) throws Exception {
        return List.of(sql.<Long>queryOne("SELECT count(*) FROM big", r -> r.getLong(1)),
                sql.<Long>queryOne("SELECT count(*) FROM small", r -> r.getLong(1)));
    }
}
