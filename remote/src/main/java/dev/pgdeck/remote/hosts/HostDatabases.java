package dev.pgdeck.remote.hosts;

import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.pg.InstancePool;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.ssh.SshPortForward;
import dev.pgdeck.remote.ssh.SshShell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.jdbcurlresolver.PgPassParser;

/**
 * The JDBC side of one host: for each instance with a {@code dbUser}, one small read-only pool
 * ({@link InstancePool#openLooking}), reached through an SSH local port forward on the host's one connection, or
 * straight to the host's address with {@code sslmode=verify-full} when the instance says {@code directTls}. Instances
 * without a database user have no pool: their SQL keeps going through psql in the shell batch. Passwords come from
 * ~/.pgpass (or PGPASSFILE), looked up by pgjdbc's own parser under the host's address and the instance's port (then
 * {@code localhost}, as psql on the host would see it), never from the inventory.
 */
public final class HostDatabases implements AutoCloseable {
    static final String DATABASE = "postgres";

    private final Map<String, LoggedSql> sql = new LinkedHashMap<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    private HostDatabases() {}

    /** Opens the forwards and pools of {@code host}; no connection is made until the first query. */
    public static HostDatabases open(HostEntry host, SshShell shell, CommandLog log) {
        HostDatabases dbs = new HostDatabases();
        try {
            for (HostEntry.InstanceEntry inst : host.instances()) {
                if (!inst.usesJdbc()) {
                    continue;
                }
                String password = password(host.address(), inst);
                String pool = "pgdeck-" + host.name() + "-" + inst.name();
                InstancePool instancePool;
                if (inst.directTls()) {
                    Map<String, String> ssl = new LinkedHashMap<>();
                    ssl.put("sslmode", "verify-full");
                    if (inst.sslRootCert() != null) {
                        ssl.put("sslrootcert", inst.sslRootCert());
                    }
                    instancePool = InstancePool.openLooking(pool, host.address(), inst.port(), DATABASE, inst.dbUser(),
                            password, ssl);
                } else {
                    SshPortForward forward = SshPortForward.open(shell, "localhost", inst.port());
                    dbs.resources.add(forward);
                    instancePool = InstancePool.openLooking(pool, forward.localHost(), forward.localPort(), DATABASE,
                            inst.dbUser(), password, Map.of());
                }
                dbs.resources.add(instancePool);
                dbs.sql.put(inst.name(), new LoggedSql(instancePool.dataSource(), log, host.name() + "/" + inst.name()));
            }
        } catch (IOException e) {
            dbs.close();
            throw new UncheckedIOException("could not open a local port for the SSH forward to " + host.name(), e);
        }
        return dbs;
    }

    private static String password(String address, HostEntry.InstanceEntry inst) {
        String port = Integer.toString(inst.port());
        String p = PgPassParser.getPassword(address, port, DATABASE, inst.dbUser());
        return p != null || inst.directTls() ? p : PgPassParser.getPassword("localhost", port, DATABASE, inst.dbUser());
    }

    /** The read-only SQL of each instance that has a pool, by instance name. */
    public Map<String, LoggedSql> sql() {
        return Map.copyOf(sql);
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
        resources.clear();
        sql.clear();
    }
}
