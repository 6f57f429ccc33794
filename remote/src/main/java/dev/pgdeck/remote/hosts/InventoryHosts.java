package dev.pgdeck.remote.hosts;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.probe.HostOverviewProbe;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.ssh.SshTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Connects inventory hosts and probes them: the SSH shell of a host entry and its overview through its profile. */
public final class InventoryHosts {
    private InventoryHosts() {}

    /** pgdeck's own known_hosts, beside the inventory. */
    public static Path knownHostsFile(Map<String, String> env) {
        return HostInventory.defaultFile(env).resolveSibling("known_hosts");
    }

    /**
     * The one SSH connection to {@code host}; unknown host keys go to {@code prompt}, changed ones are refused. A host
     * without a key file logs in with the keys of the ssh-agent at this process's {@code SSH_AUTH_SOCK}.
     */
    public static SshShell shell(HostEntry host, CommandLog log, Path pgdeckKnownHosts, HostKeyPrompt prompt,
                                 PassphraseSource passphrases) {
        return shell(host, log, pgdeckKnownHosts, prompt, passphrases, System.getenv());
    }

    /** As the shell above; a host without key file finds its ssh-agent through {@code env}'s SSH_AUTH_SOCK. */
    public static SshShell shell(HostEntry host, CommandLog log, Path pgdeckKnownHosts, HostKeyPrompt prompt,
                                 PassphraseSource passphrases, Map<String, String> env) {
        Path keyFile = host.keyFile() == null ? null : Path.of(host.keyFile());
        SshTarget target = SshTarget.of(host.name(), host.address(), host.port(), host.user(), keyFile,
                pgdeckKnownHosts);
        return new SshShell(target, log, prompt, passphrases, SshShell.Timeouts.DEFAULT, env);
    }

    /** The whole overview of {@code host} over {@code shell}, in one round trip. */
    public static HostStatus probe(HostEntry host, HostShell shell) {
        return probe(host, shell, Map.of());
    }

    /**
     * As {@link #probe(HostEntry, HostShell)}, the SQL of the instances in {@code databases} (see
     * {@link HostDatabases#sql()}) read over JDBC while the shell batch runs.
     */
    public static HostStatus probe(HostEntry host, HostShell shell, Map<String, LoggedSql> databases) {
        HostProfile profile = HostProfile.builtIn(host.profile());
        List<HostOverviewProbe.Instance> instances = host.instances().stream()
                .map(i -> new HostOverviewProbe.Instance(i.name(), i.port())).toList();
        return new HostOverviewProbe(shell, profile, host.variables()).withDatabases(databases).probe(instances);
    }
}
