package dev.pgdeck.remote.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.testing.PostgresServerExtension;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code directTls}: JDBC straight to the instance with {@code sslmode=verify-full}, against a real PostgreSQL with a
 * certificate from a CA made here with openssl; a CA that did not sign it is refused.
 */
class DirectTlsJdbcTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();
    @RegisterExtension
    static final PostgresServerExtension PG = new PostgresServerExtension();

    static Path ca;
    static Path otherCa;

    @BeforeAll
    static void serverWithACertificate() throws Exception {
        Path dir = PG.directory();
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=pgdeck test CA",
                "-keyout", "ca.key", "-out", "ca.crt");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other CA",
                "-keyout", "other.key", "-out", "other.crt");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "data/server.key",
                "-out", "server.csr");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost\n");
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.ext", "-out", "data/server.crt");
        Files.setPosixFilePermissions(dir.resolve("data/server.key"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER SYSTEM SET ssl = on");
            st.execute("SELECT pg_reload_conf()");
        }
        ca = dir.resolve("ca.crt");
        otherCa = dir.resolve("other.crt");
    }

    static void openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    private static HostEntry host(Path rootCert) {
        return new HostEntry("tls1", "localhost", SSH.port(), System.getProperty("user.name"),
                SSH.clientKey().toString(), "sandbox", Map.of(),
                List.of(new HostEntry.InstanceEntry("main", PG.port(), "postgres", true, rootCert.toString())));
    }

    @Test
    void verifiedTlsStraightToTheServer() throws Exception {
        CommandLog log = new CommandLog();
        try (SshShell shell = new SshShell(SSH.target("tls1", SSH.knownHosts()), log, HostKeyPrompt.REFUSE,
                PassphraseSource.NONE); HostDatabases dbs = HostDatabases.open(host(ca), shell, log)) {
            List<String> row = dbs.sql().get("main").queryOne("SELECT ssl::text, current_setting('transaction_read_only')"
                    + " FROM pg_stat_ssl WHERE pid = pg_backend_pid()", r -> List.of(r.getString(1), r.getString(2)));

            assertEquals(List.of("true", "on"), row);
            assertEquals(0, SSH.forwardedChannels(), "no SSH forward for direct TLS");
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        CommandLog log = new CommandLog();
        try (SshShell shell = new SshShell(SSH.target("tls1", SSH.knownHosts()), log, HostKeyPrompt.REFUSE,
                PassphraseSource.NONE); HostDatabases dbs = HostDatabases.open(host(otherCa), shell, log)) {
            SQLException e = assertThrows(SQLException.class,
                    () -> dbs.sql().get("main").queryOne("SELECT 1", r -> r.getInt(1)));

            String all = e + " " + e.getCause();
            assertTrue(all.contains("SSL") || all.contains("certificat") || all.contains("PKIX"), all);
        }
    }
}
