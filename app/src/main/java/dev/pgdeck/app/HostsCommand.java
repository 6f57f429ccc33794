package dev.pgdeck.app;

import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.HostInventory;
import dev.pgdeck.remote.hosts.InventoryException;
import dev.pgdeck.remote.hosts.InventoryHosts;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.HostKeyRejectedException;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.ssh.UnknownHostKey;
import java.io.Console;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The host inventory without the console: for servers reached over SSH only, and for scripts. Exit status 0 when it
 * did what was asked, 1 when a host key was not trusted, 2 for bad input (unknown host, invalid field, unreadable
 * hosts.json).
 */
@Command(name = "hosts", mixinStandardHelpOptions = true,
        description = "List, add and remove the hosts of the inventory (hosts.json), and trust a host's SSH key"
                + " without the console.",
        subcommands = {HostsCommand.ListHosts.class, HostsCommand.AddHost.class, HostsCommand.RemoveHost.class,
                HostsCommand.TrustHost.class})
final class HostsCommand implements Callable<Integer> {
    /** Where hosts.json and known_hosts are found; the process environment, replaced in tests. */
    Map<String, String> env = System.getenv();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    private HostInventory inventory() throws InventoryException {
        return HostInventory.load(HostInventory.defaultFile(env));
    }

    private static int fail(PrintWriter err, String command, String message) {
        err.println("pgdeck hosts " + command + ": " + message);
        err.flush();
        return 2;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the hosts of the inventory.")
    static final class ListHosts implements Callable<Integer> {
        @ParentCommand
        HostsCommand parent;

        @Option(names = "--json", description = "Print {\"file\", \"hosts\":[...]}, each host as in hosts.json.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            HostInventory inventory;
            try {
                inventory = parent.inventory();
            } catch (InventoryException e) {
                return fail(spec.commandLine().getErr(), "list", e.getMessage());
            }
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("file", inventory.file().toString());
                doc.put("hosts", inventory.hosts());
                out.println(Json.mapper().writeValueAsString(doc));
            } else if (inventory.hosts().isEmpty()) {
                out.println("no hosts in " + inventory.file() + " (the console uses the sandbox);"
                        + " add one with `pgdeck hosts add`");
            } else {
                for (HostEntry h : inventory.hosts()) {
                    out.printf("%-16s %s@%s port %d%s  profile %s  key %s  instances %s%n", h.name(), h.user(),
                            h.address(), h.port(), h.jump() == null ? "" : " via " + h.jump(), h.profile(),
                            h.keyFile() == null ? "ssh-agent" : h.keyFile(),
                            String.join(",", h.instances().stream().map(i -> i.name() + ":" + i.port()).toList()));
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a host to the inventory. Its SSH key is not trusted by this: run `pgdeck hosts trust"
                    + " NAME` next (or accept it in the console).")
    static final class AddHost implements Callable<Integer> {
        @ParentCommand
        HostsCommand parent;

        @Parameters(index = "0", paramLabel = "NAME", description = "The host's name in pgdeck.")
        String name;

        @Option(names = "--address", required = true, paramLabel = "HOST", description = "Host name or IP address.")
        String address;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "22", description = "SSH port (default 22).")
        int port;

        @Option(names = "--user", required = true, paramLabel = "USER", description = "The SSH login.")
        String user;

        @Option(names = "--key-file", paramLabel = "FILE",
                description = "A private key file; without it the keys of ssh-agent are used.")
        String keyFile;

        @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "seed002",
                description = "The host profile: seed002 (default) or debian.")
        String profile;

        @Option(names = "--instance", required = true, paramLabel = "NAME:PORT",
                description = "An instance, e.g. main:5432; repeat for each.")
        List<String> instances = new ArrayList<>();

        @Option(names = "--variable", paramLabel = "KEY=VALUE", description = "A value overriding the profile's,"
                + " e.g. version=16; repeat for each.")
        Map<String, String> variables = new LinkedHashMap<>();

        @Option(names = "--jump", paramLabel = "[USER@]HOST[:PORT]", description = "Connect through this jump host"
                + " (as ssh -J takes it; HOST may be an alias of ~/.ssh/config).")
        String jump;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            List<HostEntry.InstanceEntry> parsed = new ArrayList<>();
            for (String instance : instances) {
                int colon = instance.lastIndexOf(':');
                try {
                    parsed.add(new HostEntry.InstanceEntry(instance.substring(0, Math.max(colon, 0)),
                            Integer.parseInt(instance.substring(colon + 1))));
                } catch (NumberFormatException e) {
                    return fail(err, "add", "--instance \"" + instance + "\": expected NAME:PORT, e.g. main:5432");
                }
            }
            HostEntry entry = new HostEntry(name, address, port, user, keyFile, profile, variables, parsed, jump);
            try {
                HostInventory inventory = parent.inventory();
                inventory.add(entry);
                err.println("pgdeck hosts add: added " + name + " to " + inventory.file() + "; next: pgdeck hosts"
                        + " trust " + name);
                err.flush();
                return 0;
            } catch (InventoryException e) {
                return fail(err, "add", e.getMessage());
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a host from the inventory.")
    static final class RemoveHost implements Callable<Integer> {
        @ParentCommand
        HostsCommand parent;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                HostInventory inventory = parent.inventory();
                inventory.remove(name);
                err.println("pgdeck hosts remove: removed " + name + " from " + inventory.file()
                        + " (its line in known_hosts stays)");
                err.flush();
                return 0;
            } catch (InventoryException e) {
                return fail(err, "remove", e.getMessage());
            }
        }
    }

    @Command(name = "trust", mixinStandardHelpOptions = true,
            description = "Connect to a host (no login), print the SHA256 fingerprint of its SSH key, and save the key"
                    + " in pgdeck's known_hosts when --fingerprint matches it (or, on a terminal, after a yes)."
                    + " Compare with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` run on the host."
                    + " A changed or revoked key is refused.")
    static final class TrustHost implements Callable<Integer> {
        @ParentCommand
        HostsCommand parent;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--fingerprint", paramLabel = "SHA256:...",
                description = "The fingerprint the key must have, as ssh-keygen -lf prints it.")
        String fingerprint;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (fingerprint != null && !fingerprint.startsWith("SHA256:")) {
                return fail(err, "trust", "--fingerprint must be a SHA256 fingerprint (SHA256:..., as `ssh-keygen -lf`"
                        + " prints it), got \"" + fingerprint + "\"");
            }
            Optional<HostEntry> entry;
            try {
                entry = parent.inventory().find(name);
            } catch (InventoryException e) {
                return fail(err, "trust", e.getMessage());
            }
            if (entry.isEmpty()) {
                return fail(err, "trust", "there is no host called \"" + name + "\" in "
                        + HostInventory.defaultFile(parent.env) + "; add it with `pgdeck hosts add`");
            }
            Console console = System.console();
            boolean[] mismatch = {false};
            HostKeyPrompt prompt = key -> {
                out.println(describe(key));
                out.flush();
                if (fingerprint != null) {
                    mismatch[0] = !fingerprint.equals(key.fingerprint());
                    return !mismatch[0];
                }
                if (console == null) {
                    return false;
                }
                String answer = console.readLine("Trust this key and save it in pgdeck's known_hosts? [y/N] ");
                return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
            };
            try (SshShell shell = InventoryHosts.shell(entry.get(), new CommandLog(),
                    InventoryHosts.knownHostsFile(parent.env), prompt, PassphraseSource.NONE, parent.env)) {
                SshShell.HostKeyCheck check = shell.checkHostKey();
                if (!check.newlyTrusted()) {
                    out.println(describe(check.key()) + " is already trusted");
                } else {
                    out.println("trusted: saved in " + InventoryHosts.knownHostsFile(parent.env));
                }
                out.flush();
                return 0;
            } catch (HostKeyRejectedException e) {
                if (e.reason() == HostKeyRejectedException.Reason.UNKNOWN_DECLINED) {
                    err.println("pgdeck hosts trust: " + (mismatch[0] ? "the key's fingerprint is not " + fingerprint
                            + "; nothing saved. Someone may be between you and the host, or the fingerprint was"
                            + " taken from another key." : fingerprint == null && console == null
                            ? "not saved: check the fingerprint on the host (ssh-keygen -lf"
                            + " /etc/ssh/ssh_host_ed25519_key.pub) and run `pgdeck hosts trust " + name
                            + " --fingerprint SHA256:...`" : "not saved"));
                } else {
                    err.println("pgdeck hosts trust: " + e.getMessage());
                }
                err.flush();
                return 1;
            } catch (HostCommandException e) {
                err.println("pgdeck hosts trust: " + e.getMessage());
                err.flush();
                return 1;
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) { // a bad jump, an unreadable ~/.ssh/config
                return fail(err, "trust", e.getMessage());
            }
        }

        private String describe(UnknownHostKey key) {
            return name + " (" + key.host() + " port " + key.port() + ") has the " + key.keyType() + " key "
                    + key.fingerprint();
        }
    }
}
