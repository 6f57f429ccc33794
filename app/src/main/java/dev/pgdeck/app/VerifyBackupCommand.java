package dev.pgdeck.app;

import dev.pgdeck.model.BaseBackupNames;
import dev.pgdeck.model.backup.BackupVerification;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.HostInventory;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.hosts.InventoryException;
import dev.pgdeck.remote.hosts.InventoryHosts;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.probe.BackupVerifier;
import dev.pgdeck.remote.sandbox.SandboxException;
import dev.pgdeck.remote.sandbox.SandboxHost;
import dev.pgdeck.remote.sandbox.SandboxInstance;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify-backup", mixinStandardHelpOptions = true,
        description = "Run pg_verifybackup on one base backup of an instance (a tar backup is unpacked into a"
                + " temporary directory on the host first and removed afterwards) and print the result as JSON:"
                + " {\"host\", \"instance\", \"backup\", \"ok\", \"problems\":[...], \"walSource\"}. Exit status 0 when"
                + " the backup verified, 1 when it did not, 2 when it could not be checked.")
final class VerifyBackupCommand implements Callable<Integer> {
    @Option(names = "--host", required = true, paramLabel = "NAME",
            description = "A host of the inventory, or sandbox.")
    String host;

    @Option(names = "--instance", required = true, paramLabel = "NAME", description = "The instance, e.g. main.")
    String instance;

    @Option(names = "--backup", required = true, paramLabel = "LABEL",
            description = "The base backup directory's name, YYYYMMDD-HHMMSS (as status --json lists them).")
    String backup;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (BaseBackupNames.parse(backup).isEmpty()) {
            err.println("pgdeck verify-backup: --backup \"" + backup + "\" is not a base backup name: expected"
                    + " YYYYMMDD-HHMMSS, e.g. 20251011-120000");
            return 2;
        }
        CommandLog log = new CommandLog();
        BackupVerification result;
        try {
            result = "sandbox".equals(host) ? sandbox(log) : inventoryHost(log, err);
        } catch (HostCommandException | SandboxException | IllegalArgumentException e) {
            err.println("pgdeck verify-backup: " + e.getMessage());
            return 2;
        }
        if (result == null) {
            return 2;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("host", host);
        json.put("instance", instance);
        json.put("backup", result.label());
        json.put("ok", result.ok());
        json.put("problems", result.problems());
        json.put("walSource", result.walSource());
        out.println(Json.mapper().writeValueAsString(json));
        out.flush();
        return result.ok() ? 0 : 1;
    }

    private BackupVerification sandbox(CommandLog log) throws SandboxException, HostCommandException {
        try (SandboxHost sandbox = SandboxHost.fromEnvironment(log)) {
            SandboxInstance current = sandbox.start((step, fraction) -> spec.commandLine().getErr()
                    .println("pgdeck: " + step));
            if (!current.name().equals(instance)) {
                throw new IllegalArgumentException("the sandbox has one instance, " + current.name() + ", not \""
                        + instance + "\"");
            }
            return new BackupVerifier(sandbox.sandbox().shell(), HostProfile.builtIn(SandboxHost.PROFILE),
                    sandbox.profileValues(current)).verify(current.name(), current.port(), backup);
        }
    }

    private BackupVerification inventoryHost(CommandLog log, PrintWriter err) throws HostCommandException {
        Map<String, String> env = System.getenv();
        HostInventory inventory;
        try {
            inventory = HostInventory.load(HostInventory.defaultFile(env));
        } catch (InventoryException e) {
            err.println("pgdeck verify-backup: " + e.getMessage());
            return null;
        }
        Optional<HostEntry> entry = inventory.find(host);
        if (entry.isEmpty()) {
            err.println("pgdeck verify-backup: there is no host called \"" + host + "\" in " + inventory.file()
                    + "; known: " + inventory.hosts().stream().map(HostEntry::name).toList() + " and sandbox");
            return null;
        }
        Optional<HostEntry.InstanceEntry> inst = entry.get().instances().stream()
                .filter(i -> i.name().equals(instance)).findFirst();
        if (inst.isEmpty()) {
            err.println("pgdeck verify-backup: host " + host + " has no instance \"" + instance + "\"; known: "
                    + entry.get().instances().stream().map(HostEntry.InstanceEntry::name).toList());
            return null;
        }
        try (SshShell shell = InventoryHosts.shell(entry.get(), log, InventoryHosts.knownHostsFile(env),
                HostKeyPrompt.REFUSE, PassphraseSource.NONE)) {
            return new BackupVerifier(shell, HostProfile.builtIn(entry.get().profile()), entry.get().variables())
                    .verify(instance, inst.get().port(), backup);
        }
    }
}
