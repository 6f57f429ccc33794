package dev.pgdeck.remote.testing;

import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.pg.InstancePool;
import dev.pgdeck.remote.pg.LocalCluster;
import dev.pgdeck.remote.pg.PgBinaries;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for a test class: initdb in a temporary directory, started on a free port, stopped after
 * the class. Works as an ordinary user and as root (then the server runs under {@code unshare -U}, see
 * {@link LocalCluster}). Register with {@code @RegisterExtension static PostgresServerExtension pg = new ...}.
 */
public final class PostgresServerExtension implements BeforeAllCallback, AfterAllCallback {
    private final CommandLog log = new CommandLog();
    private LocalCluster cluster;
    private InstancePool pool;
    private int port;
    private Path dir;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(tmp);
        dir = Files.createTempDirectory(tmp, "pg-");
        PgBinaries binaries = PgBinaries.locate(System.getenv());
        cluster = new LocalCluster(new LocalShell("test-pg", log), binaries, dir.resolve("data"), dir.resolve("server.log"));
        cluster.initdb();
        port = freePort();
        Files.writeString(dir.resolve("data/postgresql.conf"),
                "\nport = " + port + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '" + dir + "'\n"
                        + "fsync = off\n",
                java.nio.file.StandardOpenOption.APPEND);
        cluster.start();
        pool = InstancePool.open("test-" + port, "127.0.0.1", port, "postgres", "postgres", false);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (pool != null) {
            pool.close();
        }
        if (cluster != null && cluster.isRunning()) {
            cluster.stop();
        }
    }

    public int port() {
        return port;
    }

    public DataSource dataSource() {
        return pool.dataSource();
    }

    public CommandLog log() {
        return log;
    }

    public Path directory() {
        return dir;
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
