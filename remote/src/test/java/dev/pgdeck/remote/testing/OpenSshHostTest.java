package dev.pgdeck.remote.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCapabilities;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.HostInventory;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.probe.HostOverviewProbe;
import dev.pgdeck.remote.restore.InstanceRecovery;
import dev.pgdeck.remote.restore.RestoreWorkflow;
import dev.pgdeck.remote.ssh.SshShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the real OpenSSH host promises its users: a key login, sudo as postgres, seed-002 clusters, no ZFS. */
class OpenSshHostTest {
    @RegisterExtension
    static final OpenSshHost HOST = new OpenSshHost("main", "dev");

    private final CommandLog log = new CommandLog();

    private static CommandResult run(SshShell shell, String... words) throws Exception {
        return shell.run(HostCommand.of(java.util.List.of(words)), Duration.ofSeconds(30));
    }

    @Test
    void theLoginRunsAsItsOwnUserAndAsPostgresThroughSudoButHasNoZfs() throws Exception {
        try (SshShell shell = HOST.shell(log)) {
            assertEquals(HOST.loginUser(), run(shell, "id", "-un").stdout().strip());
            assertEquals("postgres", run(shell, "sudo", "-n", "-u", "postgres", "id", "-un").stdout().strip());
            assertFalse(run(shell, "sudo", "-n", "id").succeeded(), "the login is no root");
            assertFalse(run(shell, "sh", "-c", "command -v zfs").succeeded());
            assertEquals("active", run(shell, "systemctl", "is-active", "postgresql-main.service").stdout().strip());
            assertTrue(run(shell, "sh", "-c", "command -v pg_verifybackup || sudo -n -u postgres sh -c"
                    + " 'command -v pg_verifybackup'").succeeded());
        }
    }

    @Test
    void theSeed002ProfileReadsEachInstanceOverSsh() throws Exception {
        HOST.sql("dev", "CREATE TABLE IF NOT EXISTS t AS SELECT 1 AS x");
        HOST.switchAndWait("dev");
        String label = HOST.baseBackup("dev");
        assertTrue(Files.exists(HOST.backups("dev").resolve(label).resolve("base.tar.gz")));
        assertTrue(Files.exists(HOST.backups("dev").resolve(label).resolve("pg_wal.tar.gz")));
        assertTrue(Files.exists(HOST.backups("dev").resolve(label).resolve("backup_manifest")));
        HostEntry entry = HOST.hostEntry();

        try (SshShell shell = HOST.shell(log)) {
            InstanceRecovery dev = new RestoreWorkflow(shell, HostProfile.builtIn(entry.profile()), entry.variables(),
                    "dev", HOST.port("dev"), Clock.systemUTC()).read();

            assertTrue(dev.running(), dev.errors().toString());
            assertEquals(Map.of(), dev.errors());
            assertEquals(HOST.dataDir("dev").toString(), dev.dataDir());
            assertTrue(dev.hasBaseTar(label) && dev.hasWalTar(label), dev.backupFiles().toString());
            assertEquals("1", run(shell, "sudo", "-n", "-u", "postgres", "psql", "-XAtq", "-p",
                    Integer.toString(HOST.port("dev")), "-c", "SELECT x FROM t").stdout().strip());
        }
        assertTrue(HOST.answers("main"));
    }

    @Test
    void theOverviewKeepsWhatTheHostCanRunAndAsksAgainOnlyLater() throws Exception {
        HostEntry entry = HOST.hostEntry();
        HostProfile seed002 = HostProfile.builtIn(entry.profile());
        List<HostOverviewProbe.Instance> instances = entry.instances().stream()
                .map(i -> new HostOverviewProbe.Instance(i.name(), i.port())).toList();
        try (SshShell shell = HOST.shell(log)) {
            HostOverviewProbe probe = new HostOverviewProbe(shell, seed002, entry.variables());
            assertTrue(probe.parts(instances).stream().anyMatch(p -> p.key().equals("host:capabilities")));

            HostStatus status = probe.probe(instances);

            HostCapabilities can = status.capabilities();
            assertNotNull(can, status.errors().toString());
            assertFalse(can.has("zfs"), can.toString());
            assertTrue(can.has("systemctl") && can.has("pg_verifybackup") && can.has("pg_waldump"), can.toString());
            assertTrue(can.failing().contains("sudo -u root zfs"), can.failing().toString());
            assertTrue(can.freeKb().containsKey(HOST.backups("main").toString()), can.freeKb().toString());
            // kept for this connection: the next refresh does not ask sudo again, and still shows them
            assertTrue(probe.parts(instances).stream().noneMatch(p -> p.key().equals("host:capabilities")));
            assertEquals(can, new HostOverviewProbe(shell, seed002, entry.variables()).probe(instances)
                    .capabilities());
        }
    }

    @Test
    void theHostEntryIsAValidInventoryEntry() throws Exception {
        Path file = HOST.writeInventory();

        HostEntry read = HostInventory.load(file).find(HOST.hostName()).orElseThrow();

        assertEquals(HOST.hostEntry(), read);
    }
}
