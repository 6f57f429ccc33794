package dev.pgdeck.app;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.HostInventory;
import dev.pgdeck.remote.hosts.InventoryException;
import dev.pgdeck.remote.hosts.HostDatabases;
import dev.pgdeck.remote.hosts.InventoryHosts;
import dev.pgdeck.remote.probe.InventoryProbe;
import dev.pgdeck.remote.sandbox.Sandbox;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.sandbox.SandboxException;
import dev.pgdeck.remote.sandbox.SandboxHost;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print the overview of the hosts and their instances (the sandbox when no host is configured)."
                + " Starts the sandbox if it is not running, and stops it again afterwards. Exit status 0: all well;"
                + " 1: a host unreachable, an instance down or its health fail; 2: status could not run.")
final class StatusCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON: {\"hosts\":[{\"name\", \"reachable\", \"instances\":[...],"
            + " \"timers\", \"metrics\"}]}; per instance archiver, walArchive, baseBackups, recoverableWindow,"
            + " zfsSnapshots (replicated), resticSnapshots, health, lastDrill ({at, target, reached, rtoSeconds} or"
            + " null: never drilled).")
    boolean json;

    @Option(names = "--host", paramLabel = "NAME", description = "Only this host of the inventory (sandbox: the"
            + " built-in sandbox). Default: every host of the inventory, or the sandbox when none is configured.")
    String host;

    @Spec
    CommandSpec spec;

    /** Exit status: every host reachable, every instance running, no health fail. */
    static final int OK = 0;
    /** Exit status: a host unreachable, an instance down, or an instance's health fail. */
    static final int ATTENTION = 1;
    /** Exit status: status could not run (hosts.json unreadable, unknown --host, the sandbox would not start). */
    static final int COULD_NOT_CHECK = 2;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> env = System.getenv();
        HostInventory inventory;
        try {
            inventory = HostInventory.load(HostInventory.defaultFile(env));
        } catch (InventoryException e) {
            err.println("pgdeck status: " + e.getMessage());
            return COULD_NOT_CHECK;
        }
        List<HostEntry> selected;
        if (host == null || host.equals(Sandbox.HOST_NAME)) {
            selected = host == null ? inventory.hosts() : List.of();
        } else {
            Optional<HostEntry> entry = inventory.find(host);
            if (entry.isEmpty()) {
                err.println("pgdeck status: there is no host called \"" + host + "\" in " + inventory.file()
                        + "; known: " + inventory.hosts().stream().map(HostEntry::name).toList() + " and sandbox");
                return COULD_NOT_CHECK;
            }
            selected = List.of(entry.get());
        }
        List<HostStatus> statuses = new ArrayList<>();
        CommandLog log = new CommandLog();
        if (selected.isEmpty()) {
            SandboxHost chosen;
            try {
                chosen = SandboxHost.fromEnvironment(log);
            } catch (IllegalArgumentException e) {
                err.println("pgdeck status: " + e.getMessage());
                return COULD_NOT_CHECK;
            }
            try (SandboxHost sandbox = chosen) {
                sandbox.start((step, fraction) -> err.println("pgdeck: " + step));
                statuses.add(sandbox.status());
            } catch (SandboxException e) {
                err.println("pgdeck status: " + e.getMessage());
                return COULD_NOT_CHECK;
            }
        } else {
            for (HostEntry entry : selected) {
                try (SshShell shell = InventoryHosts.shell(entry, log, InventoryHosts.knownHostsFile(env),
                        HostKeyPrompt.REFUSE, PassphraseSource.NONE);
                     HostDatabases databases = HostDatabases.open(entry, shell, log)) {
                    statuses.add(InventoryProbe.probe(entry, shell, databases.sql()));
                } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                    statuses.add(new HostStatus(entry.name(), false, e.getMessage(), Instant.now(), List.of()));
                }
            }
        }
        if (json) {
            out.println(Json.mapper().writeValueAsString(Map.of("hosts", statuses)));
        } else {
            statuses.forEach(s -> printText(out, s));
        }
        out.flush();
        return exitCode(statuses);
    }

    /**
     * {@link #OK} when every host answered and every instance runs with health ok or warn; {@link #ATTENTION} when a
     * host is unreachable, an instance is down or its health is fail (the same in text and JSON, so that cron and
     * monitoring can act on it). {@link #COULD_NOT_CHECK} is returned earlier, when status could not run at all.
     */
    static int exitCode(List<HostStatus> statuses) {
        for (HostStatus host : statuses) {
            if (!host.reachable()) {
                return ATTENTION;
            }
            for (InstanceStatus i : host.instances()) {
                if (!i.running() || (i.health() != null && "fail".equals(i.health().state()))) {
                    return ATTENTION;
                }
            }
        }
        return OK;
    }

    /**
     * The instance's problem in one line: why SQL failed when it did (a down server makes every other part fail too),
     * else the first; how many more there are ({@code --json} lists each under {@code errors}).
     */
    static String mainError(InstanceStatus i) {
        if (i.errors().isEmpty()) {
            return i.error();
        }
        String key = i.errors().containsKey("sql") ? "sql" : new java.util.TreeSet<>(i.errors().keySet()).first();
        int more = i.errors().size() - 1;
        return i.errors().get(key) + (more > 0 ? " (" + more + " more: status --json lists them under errors)" : "");
    }

    private static void printText(PrintWriter out, HostStatus host) {
        out.println(host.name() + (host.reachable() ? "" : "  UNREACHABLE: " + host.error()));
        for (InstanceStatus i : host.instances()) {
            out.printf("  %-10s port %-6d %-8s %-8s backups %s  archived %s%n", i.name(), i.port(),
                    i.version() == null ? "?" : i.version(), i.running() ? "running" : "DOWN",
                    i.baseBackupCount() == null ? "?" : i.baseBackupCount(),
                    i.archiver() == null ? "?" : i.archiver().archivedCount() + " (last " + i.archiver().lastArchivedWal() + ")");
            if (i.health() != null) {
                out.println("    health " + i.health().state() + (i.health().reasons().isEmpty() ? ""
                        : ": " + String.join("; ", i.health().reasons())));
            }
            if (i.recoverableWindow() != null && i.recoverableWindow().earliest() != null) {
                out.println("    recoverable " + i.recoverableWindow().earliest() + " .. " + i.recoverableWindow().latest()
                        + " (timeline " + i.recoverableWindow().timeline() + ", " + i.recoverableWindow().gaps().size()
                        + " gaps)" + (i.recoverableWindow().latestTimeTarget() == null ? ""
                        : "; latest time target " + i.recoverableWindow().latestTimeTarget()));
            }
            if (i.lastDrill() != null) {
                out.println("    last drill " + i.lastDrill().at() + " (target " + i.lastDrill().target() + ")");
            } else if (i.health() != null && !i.errors().containsKey("drills")) {
                out.println("    never drilled");
            }
            if (i.error() != null) {
                out.println("    " + mainError(i));
            }
        }
    }
}
