package dev.pgdeck.remote.hosts;

import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.ssh.SshTarget;
import java.nio.file.Path;
import java.util.Map;

/** Connects inventory hosts: the SSH shell of a host entry (probing it is {@code remote.probe.InventoryProbe}). */
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
}
