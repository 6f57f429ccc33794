package dev.pgdeck.remote.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandLogEntry;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.probe.InventoryProbe;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.testing.PostgresServerExtension;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JDBC to a real PostgreSQL through a local port forward on the host's one SSH connection to the embedded MINA
 * server: a read-only pool logged in as a database user whose password only ~/.pgpass (here PGPASSFILE's stand-in,
 * pgjdbc's {@code org.postgresql.pgpassfile}) knows, looked up under the host's address and the instance's port.
 */
class ForwardedJdbcTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();
    @RegisterExtension
    static final PostgresServerExtension PG = new PostgresServerExtension();

    static Path pgpass;
    static String previousPgpass;

    @BeforeAll
    static void readerWithAPassword() throws Exception {
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE pgdeck_reader LOGIN PASSWORD 'only-in-pgpass'");
            st.execute("CREATE TABLE watched (id int)");
            st.execute("GRANT ALL ON watched TO pgdeck_reader");
        }
        // the reader must give its password; everyone else keeps trust (the harness logs in as postgres)
        Path hba = PG.directory().resolve("data/pg_hba.conf");
        String rest = Files.readString(hba);
        Files.writeString(hba, "host all pgdeck_reader 127.0.0.1/32 scram-sha-256\n" + rest);
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_reload_conf()");
        }
        pgpass = PG.directory().resolve("pgpass");
        Files.writeString(pgpass, "127.0.0.1:" + PG.port() + ":postgres:pgdeck_reader:only-in-pgpass\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        previousPgpass = System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
    }

    @AfterAll
    static void restorePgpass() {
        if (previousPgpass == null) {
            System.clearProperty("org.postgresql.pgpassfile");
        } else {
            System.setProperty("org.postgresql.pgpassfile", previousPgpass);
        }
    }

    private final CommandLog log = new CommandLog();

    private static HostEntry host(String dbUser) {
        return new HostEntry("db1", SshServerExtension.HOST, SSH.port(), System.getProperty("user.name"),
                SSH.clientKey().toString(), "sandbox", Map.of("root", PG.directory().toString()),
                List.of(new HostEntry.InstanceEntry("main", PG.port(), dbUser, false, null)));
    }

    private SshShell shell() {
        return new SshShell(SSH.target("db1", SSH.knownHosts()), log, HostKeyPrompt.REFUSE, PassphraseSource.NONE);
    }

    @Test
    void readsThroughTheForwardAsTheConfiguredUserAndCannotWrite() throws Exception {
        int channelsBefore = SSH.forwardedChannels();
        try (SshShell shell = shell(); HostDatabases dbs = HostDatabases.open(host("pgdeck_reader"), shell, log)) {
            LoggedSql sql = dbs.sql().get("main");

            List<String> who = sql.queryOne("SELECT current_user, inet_server_port(),"
                    + " current_setting('transaction_read_only')", r -> List.of(r.getString(1), r.getString(2),
                    r.getString(3)));

            assertEquals(List.of("pgdeck_reader", Integer.toString(PG.port()), "on"), who);
            assertTrue(SSH.forwardedChannels() > channelsBefore, "the connection went through the SSH server");
            SQLException insert = assertThrows(SQLException.class,
                    () -> sql.execute("INSERT INTO watched VALUES (1)"));
            assertTrue(insert.getMessage().contains("read-only transaction"), insert.getMessage());
            SQLException ddl = assertThrows(SQLException.class, () -> sql.execute("CREATE TABLE sneaky (i int)"));
            assertTrue(ddl.getMessage().contains("read-only transaction"), ddl.getMessage());
        }
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM watched")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "nothing was written");
        }
    }

    @Test
    void theOverviewReadsItsSqlOverJdbcBesideTheOneShellBatch() throws Exception {
        try (SshShell shell = shell(); HostDatabases dbs = HostDatabases.open(host("pgdeck_reader"), shell, log)) {
            HostStatus status = InventoryProbe.probe(host("pgdeck_reader"), shell, dbs.sql());
            InstanceStatus main = status.instances().get(0);

            assertTrue(status.reachable(), status.error());
            assertNull(main.errors().get("sql"), main.errors().toString());
            assertTrue(main.running());
            assertTrue(main.version().startsWith("15."), main.version());
            assertEquals(Boolean.FALSE, main.inRecovery());
            assertEquals(0, main.archiver().archivedCount());
            assertEquals(1, status.probe().roundTrips());
            List<CommandLogEntry> commands = log.entries().stream()
                    .filter(e -> e.kind() == CommandLogEntry.Kind.COMMAND).toList();
            assertEquals(1, commands.size(), "one shell batch");
            // The batch names psql once, asking whether it can run (the host's capabilities); it must not run SQL.
            String batch = commands.get(0).text();
            assertFalse(batch.contains("pg_stat_archiver") || batch.matches("(?s).*psql'? -X.*"),
                    "no SQL through psql in the batch");
            assertTrue(log.entries().stream().anyMatch(e -> e.kind() == CommandLogEntry.Kind.SQL
                    && e.host().equals("db1/main")), "the SQL is in the command log");
        }
    }

    @Test
    void aWrongUserIsShownAsTheInstancesSqlError() throws Exception {
        try (SshShell shell = shell(); HostDatabases dbs = HostDatabases.open(host("nobody_here"), shell, log)) {
            InstanceStatus main = InventoryProbe.probe(host("nobody_here"), shell, dbs.sql()).instances().get(0);

            assertFalse(main.running());
            assertTrue(main.errors().get("sql").contains("could not be reached over JDBC"), main.errors().toString());
            assertTrue(main.errors().get("sql").contains("role \"nobody_here\" does not exist"),
                    main.errors().toString());
            assertEquals("fail", main.health().state());
        }
    }

    @Test
    void theForwardOutlivesAReconnection() throws Exception {
        try (SshShell shell = shell(); HostDatabases dbs = HostDatabases.open(host("pgdeck_reader"), shell, log)) {
            LoggedSql sql = dbs.sql().get("main");
            assertEquals(Integer.valueOf(1), sql.queryOne("SELECT 1", r -> r.getInt(1)));

            SSH.restart(); // drops the SSH connection and with it the pooled JDBC connection

            InstanceStatus main = InventoryProbe.probe(host("pgdeck_reader"), shell, dbs.sql()).instances().get(0);
            assertNull(main.errors().get("sql"), "the overview retried on a new SSH connection: " + main.errors());
            assertTrue(main.running());
            assertEquals(Integer.valueOf(2), sql.queryOne("SELECT 2", r -> r.getInt(1)));
        }
    }
}
