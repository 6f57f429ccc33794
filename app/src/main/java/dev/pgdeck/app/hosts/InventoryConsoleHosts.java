package dev.pgdeck.app.hosts;

import dev.pgdeck.app.main.ConsoleHosts;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.HostInventory;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.hosts.InventoryException;
import dev.pgdeck.remote.hosts.HostDatabases;
import dev.pgdeck.remote.hosts.InventoryHosts;
import dev.pgdeck.remote.probe.HostRefresher;
import dev.pgdeck.remote.probe.InventoryProbe;
import dev.pgdeck.remote.probe.WalStops;
import dev.pgdeck.remote.sandbox.Progress;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The sandbox first, then every host of the inventory. The inventory is read afresh at each refresh (so hosts added,
 * edited or removed in the UI show up at once); every host is probed concurrently through {@link HostRefresher}, so
 * an unreachable or slow host shows its error and since when it is stale and never holds up the others. One SSH
 * connection per host is kept between refreshes, and replaced when the host's entry changes.
 */
public final class InventoryConsoleHosts implements ConsoleHosts {
    /** The pseudo host that carries an unreadable inventory's message. */
    public static final String INVENTORY_HOST = "hosts.json";

    private final ConsoleHosts sandbox;
    private final Path inventoryFile;
    private final Path knownHostsFile;
    private final CommandLog log;
    private final HostKeyPrompt prompt;
    private final PassphraseSource passphrases;
    private final HostRefresher refresher;
    private final Map<String, Connection> connections = new HashMap<>(); // guarded by this
    /** Hosts that answered (or failed) at least once; the others are listed as connecting until they do. */
    private final java.util.Set<String> answeredOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A host's one SSH connection and the JDBC pools that go through it (instances with a dbUser). */
    /** One host's connection, and what its refreshes have read of its archived WAL (kept with it). */
    private record Connection(HostEntry entry, SshShell shell, HostDatabases databases, WalStops walStops) {
        void close() {
            databases.close();
            shell.close();
        }
    }

    public InventoryConsoleHosts(ConsoleHosts sandbox, Path inventoryFile, Path knownHostsFile, CommandLog log,
                                 HostKeyPrompt prompt, PassphraseSource passphrases, Duration perHostTimeout) {
        this.sandbox = sandbox;
        this.inventoryFile = inventoryFile;
        this.knownHostsFile = knownHostsFile;
        this.log = log;
        this.prompt = prompt;
        this.passphrases = passphrases;
        this.refresher = new HostRefresher(perHostTimeout, Clock.systemUTC());
    }

    public Path inventoryFile() {
        return inventoryFile;
    }

    @Override
    public void start(Progress progress) throws Exception {
        sandbox.start(progress);
    }

    @Override
    public List<HostStatus> refresh() {
        return refresh(answered -> { });
    }

    @Override
    public List<HostStatus> refresh(Consumer<HostStatus> eachAnswer) {
        CompletableFuture<List<HostStatus>> sandboxStatus = CompletableFuture.supplyAsync(() ->
                sandbox.refresh(eachAnswer));
        List<HostStatus> inventoryStatus = new ArrayList<>();
        try {
            List<HostEntry> entries = HostInventory.load(inventoryFile).hosts();
            forgetAllBut(entries);
            Map<String, Callable<HostStatus>> probes = new LinkedHashMap<>();
            for (HostEntry entry : entries) {
                probes.put(entry.name(), () -> probe(entry));
                if (!answeredOnce.contains(entry.name())) {
                    eachAnswer.accept(HostStatus.connecting(entry.name()));
                }
            }
            inventoryStatus.addAll(refresher.refresh(probes, answered -> {
                answeredOnce.add(answered.name());
                eachAnswer.accept(answered);
            }));
        } catch (InventoryException e) {
            HostStatus unreadable = new HostStatus(INVENTORY_HOST, false, e.getMessage(), Instant.now(), List.of());
            eachAnswer.accept(unreadable);
            inventoryStatus.add(unreadable);
        }
        List<HostStatus> all = new ArrayList<>();
        try {
            all.addAll(sandboxStatus.join());
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            HostStatus failed = new HostStatus("sandbox", false, String.valueOf(cause.getMessage()), Instant.now(),
                    List.of());
            eachAnswer.accept(failed);
            all.add(failed);
        }
        all.addAll(inventoryStatus);
        return all;
    }

    /** The sandbox's actions, or those of an inventory host probed at least once (its connection is kept). */
    @Override
    public Optional<HostActions> actions(String hostName) {
        Optional<HostActions> sandboxActions = sandbox.actions(hostName);
        if (sandboxActions.isPresent()) {
            return sandboxActions;
        }
        Connection connection;
        synchronized (this) {
            connection = connections.get(hostName);
        }
        if (connection == null) {
            return Optional.empty();
        }
        HostEntry entry = connection.entry();
        return Optional.of(new HostActions(connection.shell(), HostProfile.builtIn(entry.profile()), entry.variables(),
                Clock.systemUTC()));
    }

    private HostStatus probe(HostEntry entry) {
        Connection connection;
        try {
            connection = connection(entry);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            return new HostStatus(entry.name(), false, e.getMessage(), Instant.now(), List.of());
        }
        try {
            return InventoryProbe.probe(entry, connection.shell(), connection.databases().sql(),
                    connection.walStops());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // a profile that cannot build a command for this host: the host's own problem, shown on it
            return new HostStatus(entry.name(), false, e.getMessage(), Instant.now(), List.of());
        }
    }

    /** The host's one connection; a changed entry (address, key, ...) gets a new one. */
    private synchronized Connection connection(HostEntry entry) {
        Connection current = connections.get(entry.name());
        if (current != null && current.entry().equals(entry)) {
            return current;
        }
        if (current != null) {
            current.close();
        }
        SshShell shell = InventoryHosts.shell(entry, log, knownHostsFile, prompt, passphrases);
        Connection fresh;
        try {
            fresh = new Connection(entry, shell, HostDatabases.open(entry, shell, log), new WalStops());
        } catch (RuntimeException e) {
            shell.close();
            throw e;
        }
        connections.put(entry.name(), fresh);
        return fresh;
    }

    /** Closes the connections of hosts that were removed from the inventory. */
    private synchronized void forgetAllBut(List<HostEntry> entries) {
        List<String> names = entries.stream().map(HostEntry::name).toList();
        connections.entrySet().removeIf(e -> {
            if (names.contains(e.getKey())) {
                return false;
            }
            e.getValue().close();
            return true;
        });
    }

    @Override
    public void close() throws Exception {
        synchronized (this) {
            connections.values().forEach(Connection::close);
            connections.clear();
        }
        refresher.close();
        sandbox.close();
    }
}
