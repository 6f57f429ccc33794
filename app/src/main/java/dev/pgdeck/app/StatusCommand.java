package dev.pgdeck.app;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.remote.host.CommandLog;
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
                + " Starts the sandbox if it is not running, and stops it again afterwards.")
final class StatusCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON: {\"hosts\":[{\"name\", \"reachable\", \"instances\":[...]}]}.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HostStatus status;
        try (SandboxHost sandbox = SandboxHost.fromEnvironment(new CommandLog())) {
            sandbox.start((step, fraction) -> err.println("pgdeck: " + step));
            status = sandbox.status();
        } catch (SandboxException e) {
            err.println("pgdeck status: " + e.getMessage());
            return 2;
        }
        if (json) {
            out.println(Json.mapper().writeValueAsString(Map.of("hosts", List.of(status))));
        } else {
            printText(out, status);
        }
        out.flush();
        return status.reachable() ? 0 : 1;
    }

    private static void printText(PrintWriter out, HostStatus host) {
        out.println(host.name() + (host.reachable() ? "" : "  UNREACHABLE: " + host.error()));
        for (InstanceStatus i : host.instances()) {
            out.printf("  %-10s port %-6d %-8s %-8s backups %s  archived %s%n", i.name(), i.port(),
                    i.version() == null ? "?" : i.version(), i.running() ? "running" : "DOWN",
                    i.baseBackupCount() == null ? "?" : i.baseBackupCount(),
                    i.archiver() == null ? "?" : i.archiver().archivedCount() + " (last " + i.archiver().lastArchivedWal() + ")");
            if (i.error() != null) {
                out.println("    " + i.error());
            }
        }
    }
}
