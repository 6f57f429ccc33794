package dev.pgdeck.app;

import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.HostInventory;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.hosts.InventoryException;
import dev.pgdeck.remote.hosts.InventoryHosts;
import dev.pgdeck.remote.restore.RestoreWorkflow;
import dev.pgdeck.remote.sandbox.Sandbox;
import dev.pgdeck.remote.sandbox.SandboxException;
import dev.pgdeck.remote.sandbox.SandboxHost;
import dev.pgdeck.remote.sandbox.SandboxInstance;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The host and instance a headless restore or drill works on: an inventory host over SSH, or (no --host, or
 * --host sandbox) the built-in sandbox, started for the command and stopped again afterwards, as `status` does.
 */
final class RestoreHost implements AutoCloseable {
    /** Bad input: the message names what was wrong. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private final AutoCloseable owner;
    final HostShell shell;
    final HostProfile profile;
    final Map<String, String> overrides;
    final String instance;
    final int port;

    private RestoreHost(AutoCloseable owner, HostShell shell, HostProfile profile, Map<String, String> overrides,
                        String instance, int port) {
        this.owner = owner;
        this.shell = shell;
        this.profile = profile;
        this.overrides = overrides;
        this.instance = instance;
        this.port = port;
    }

    static RestoreHost open(String host, String instance, CommandLog log, PrintWriter err) throws Refused {
        Map<String, String> env = System.getenv();
        if (host == null || host.equals(Sandbox.HOST_NAME)) {
            SandboxHost sandbox = SandboxHost.fromEnvironment(log);
            try {
                SandboxInstance started = sandbox.start((step, fraction) -> err.println("pgdeck: " + step));
                if (instance != null && !instance.equals(started.name())) {
                    closeQuietly(sandbox);
                    throw new Refused("the sandbox has one instance, \"" + started.name() + "\", not \"" + instance
                            + "\"");
                }
                return new RestoreHost(sandbox, sandbox.sandbox().shell(), HostProfile.builtIn(SandboxHost.PROFILE),
                        sandbox.profileValues(started), started.name(), started.port());
            } catch (SandboxException e) {
                closeQuietly(sandbox);
                throw new Refused(e.getMessage());
            }
        }
        HostInventory inventory;
        try {
            inventory = HostInventory.load(HostInventory.defaultFile(env));
        } catch (InventoryException e) {
            throw new Refused(e.getMessage());
        }
        Optional<HostEntry> entry = inventory.find(host);
        if (entry.isEmpty()) {
            throw new Refused("there is no host called \"" + host + "\" in " + inventory.file() + "; known: "
                    + inventory.hosts().stream().map(HostEntry::name).toList() + " and sandbox");
        }
        if (instance == null) {
            throw new Refused("--instance is needed for host " + host + "; its instances: "
                    + entry.get().instances().stream().map(HostEntry.InstanceEntry::name).toList());
        }
        Optional<HostEntry.InstanceEntry> inst = entry.get().instances().stream()
                .filter(i -> i.name().equals(instance)).findFirst();
        if (inst.isEmpty()) {
            throw new Refused("host " + host + " has no instance \"" + instance + "\"; its instances: "
                    + entry.get().instances().stream().map(HostEntry.InstanceEntry::name).toList());
        }
        HostShell shell = InventoryHosts.shell(entry.get(), log, InventoryHosts.knownHostsFile(env),
                HostKeyPrompt.REFUSE, PassphraseSource.NONE);
        return new RestoreHost(shell, shell, HostProfile.builtIn(entry.get().profile()), entry.get().variables(),
                instance, inst.get().port());
    }

    RestoreWorkflow workflow() {
        return new RestoreWorkflow(shell, profile, overrides, instance, port, Clock.systemUTC());
    }

    @Override
    public void close() {
        closeQuietly(owner);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing a finished command's connection or sandbox: nothing left to report to
        }
    }
}
