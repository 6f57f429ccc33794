package dev.pgdeck.remote.hosts;

import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshConfig;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.ssh.SshTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        SshTarget target;
        try {
            target = target(host, pgdeckKnownHosts, SshConfig.load(SshConfig.defaultFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + SshConfig.defaultFile() + ": " + e.getMessage(), e);
        }
        return new SshShell(target, log, prompt, passphrases, SshShell.Timeouts.DEFAULT, env);
    }

    /**
     * Where and how {@code host} is reached, as {@code ssh ADDRESS} would reach it: {@code ~/.ssh/config}'s HostName
     * applies to the host's address, its Port when hosts.json has the default 22, its IdentityFile when hosts.json
     * has no keyFile, its ProxyJump when hosts.json has no jump (hosts.json's user always wins). Each jump host is
     * looked up in ~/.ssh/config the same way; its user is the one written in the jump, else its User there, else
     * the host's, and its key its IdentityFile there, else the host's key (or the agent).
     */
    public static SshTarget target(HostEntry host, Path pgdeckKnownHosts, SshConfig sshConfig) {
        SshConfig.Host config = sshConfig.lookup(host.address());
        Path keyFile = host.keyFile() != null ? Path.of(host.keyFile()) : config.identityFile();
        String address = config.hostName() != null ? config.hostName() : host.address();
        int port = host.port() == 22 && config.port() != null ? config.port() : host.port();
        SshTarget target = SshTarget.of(host.name(), address, port, host.user(), keyFile, pgdeckKnownHosts);
        String jumps = host.jump() != null ? host.jump() : config.proxyJump();
        if (jumps == null) {
            return target;
        }
        SshTarget through = null;
        for (String hop : jumps.split(",")) { // the first hop is the one connected to first
            through = jumpTarget(hop.strip(), target, sshConfig).via(through);
        }
        return target.via(through);
    }

    /** One hop of a ProxyJump list: {@code [ssh://][user@]host[:port]}, {@code host} possibly a ~/.ssh/config alias. */
    private static SshTarget jumpTarget(String hop, SshTarget target, SshConfig sshConfig) {
        String rest = hop.startsWith("ssh://") ? hop.substring(6) : hop;
        String user = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        Integer port = null;
        String host = rest;
        int colon = rest.lastIndexOf(':');
        if (rest.startsWith("[") && rest.contains("]")) {
            host = rest.substring(1, rest.indexOf(']'));
            colon = rest.indexOf("]:") >= 0 ? rest.indexOf("]:") + 1 : -1;
        } else if (colon >= 0 && rest.indexOf(':') != colon) {
            colon = -1; // a bare IPv6 address
        } else if (colon >= 0) {
            host = rest.substring(0, colon);
        }
        if (colon >= 0) {
            try {
                port = Integer.parseInt(rest.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("jump host \"" + hop + "\": \"" + rest.substring(colon + 1)
                        + "\" is not a port");
            }
        }
        SshConfig.Host config = sshConfig.lookup(host);
        String address = config.hostName() != null ? config.hostName() : host;
        int jumpPort = port != null ? port : config.port() != null ? config.port() : 22;
        String jumpUser = user != null ? user : config.user() != null ? config.user() : target.user();
        Path key = config.identityFile() != null ? config.identityFile() : target.keyFile();
        return new SshTarget(hop, address, jumpPort, jumpUser, key, target.knownHostsFile(),
                target.userKnownHostsFiles());
    }
}
