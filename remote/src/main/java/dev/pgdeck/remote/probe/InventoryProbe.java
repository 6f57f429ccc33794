package dev.pgdeck.remote.probe;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.hosts.HostDatabases;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.pg.LoggedSql;
import java.util.List;
import java.util.Map;

/** Probes an inventory host: its overview through its profile (the connection is {@code InventoryHosts}'). */
public final class InventoryProbe {
    private InventoryProbe() {}

    /** The whole overview of {@code host} over {@code shell}, in one round trip. */
    public static HostStatus probe(HostEntry host, HostShell shell) {
        return probe(host, shell, Map.of());
    }

    /**
     * As {@link #probe(HostEntry, HostShell)}, the SQL of the instances in {@code databases} (see
     * {@link HostDatabases#sql()}) read over JDBC while the shell batch runs.
     */
    public static HostStatus probe(HostEntry host, HostShell shell, Map<String, LoggedSql> databases) {
        return probe(host, shell, databases, null);
    }

    /**
     * As {@link #probe(HostEntry, HostShell, Map)}, reading the windows' latest time targets from the archived WAL
     * with {@code walStops} (the host's memory of segments read; null: not read).
     */
    public static HostStatus probe(HostEntry host, HostShell shell, Map<String, LoggedSql> databases,
                                   WalStops walStops) {
        HostProfile profile = HostProfile.builtIn(host.profile());
        List<HostOverviewProbe.Instance> instances = host.instances().stream()
                .map(i -> new HostOverviewProbe.Instance(i.name(), i.port())).toList();
        HostOverviewProbe probe = new HostOverviewProbe(shell, profile, host.variables()).withDatabases(databases);
        return (walStops == null ? probe : probe.withWalStops(walStops)).probe(instances);
    }
}
