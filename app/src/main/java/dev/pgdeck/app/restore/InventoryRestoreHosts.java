package dev.pgdeck.app.restore;

import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.HostInventory;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.hosts.InventoryException;
import dev.pgdeck.remote.hosts.InventoryHosts;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.restore.RestoreWorkflow;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox first, then every host of the inventory (read afresh each time the wizard lists hosts). The wizard's
 * SSH connection to a host is its own, kept while the entry is unchanged; host keys are verified as everywhere.
 */
public final class InventoryRestoreHosts implements RestoreHosts {
    private final RestoreHosts sandbox;
    private final Path inventoryFile;
    private final Path knownHostsFile;
    private final CommandLog log;
    private final HostKeyPrompt prompt;
    private final PassphraseSource passphrases;
    private final Map<String, Connection> connections = new HashMap<>(); // guarded by this

    private record Connection(HostEntry entry, SshShell shell) {}

    public InventoryRestoreHosts(RestoreHosts sandbox, Path inventoryFile, Path knownHostsFile, CommandLog log,
                                 HostKeyPrompt prompt, PassphraseSource passphrases) {
        this.sandbox = sandbox;
        this.inventoryFile = inventoryFile;
        this.knownHostsFile = knownHostsFile;
        this.log = log;
        this.prompt = prompt;
        this.passphrases = passphrases;
    }

    @Override
    public List<HostChoice> hosts() throws Exception {
        List<HostChoice> all = new ArrayList<>(sandbox.hosts());
        List<HostEntry> entries;
        try {
            entries = HostInventory.load(inventoryFile).hosts();
        } catch (InventoryException e) {
            // the Hosts tab shows what is wrong with the file; the sandbox can still be restored
            entries = List.of();
        }
        for (HostEntry e : entries) {
            all.add(new HostChoice(e.name(), e.instances().stream()
                    .map(i -> new InstanceChoice(i.name(), i.port())).toList(),
                    RestoreWorkflow.zfsUnavailable(HostProfile.builtIn(e.profile())).orElse("")));
        }
        return all;
    }

    @Override
    public RestoreConnection open(HostChoice host, InstanceChoice instance) throws Exception {
        HostEntry entry = HostInventory.load(inventoryFile).find(host.name()).orElse(null);
        if (entry == null) {
            return sandbox.open(host, instance);
        }
        SshShell shell = shell(entry);
        HostProfile profile = HostProfile.builtIn(entry.profile());
        return new RestoreConnection(entry.name(), instance.name(), instance.port(),
                new RestoreWorkflow(shell, profile, entry.variables(), instance.name(), instance.port(),
                        Clock.systemUTC()),
                new HostActions(shell, profile, entry.variables(), Clock.systemUTC()));
    }

    private synchronized SshShell shell(HostEntry entry) {
        Connection current = connections.get(entry.name());
        if (current != null && current.entry().equals(entry)) {
            return current.shell();
        }
        if (current != null) {
            current.shell().close();
        }
        SshShell shell = InventoryHosts.shell(entry, log, knownHostsFile, prompt, passphrases);
        connections.put(entry.name(), new Connection(entry, shell));
        return shell;
    }
}
