package dev.pgdeck.remote.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.model.restore.RestoreStep;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.hosts.HostProfile;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Seed 002's scenario 1 as a plan for a seed-002 host, against the recorded {@code zfs list -H -p} output: the
 * snapshot chosen for a time, the commands exactly, nothing destroyed, and the script valid for a real sh.
 */
class ZfsRestorePlanTest {
    private static final Instant TARGET = Instant.parse("2025-10-11T10:30:00Z");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-10-11T10:45:07Z"), ZoneOffset.UTC);

    /** The seed-002 host's `zfs list` answered from the recording (the one command ZFS cannot run here). */
    private static HostShell recordedZfs(Path fixture) {
        LocalShell local = new LocalShell("forge", new CommandLog());
        return new HostShell() {
            @Override
            public String hostName() {
                return "forge";
            }

            @Override
            public CommandResult run(HostCommand command, Duration timeout) throws dev.pgdeck.remote.host.HostCommandException {
                assertEquals("zfs list -H -p -t snapshot -o name,creation,used,refer", command.shellLine());
                CommandResult r = local.run(HostCommand.of("cat", fixture.toString()), timeout);
                return new CommandResult(command, r.exitCode(), r.stdout(), r.stderr(), r.elapsed());
            }
        };
    }

    private static Path fixture() throws Exception {
        Path file = Files.createTempFile("zfs-list-", ".txt");
        try (InputStream in = ZfsRestorePlanTest.class.getResourceAsStream(
                "/dev/pgdeck/sandbox/fixtures/zfs-list-snapshots.txt")) {
            Files.writeString(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        return file;
    }

    private static RestoreWorkflow workflow(Path fixture) {
        return new RestoreWorkflow(recordedZfs(fixture), HostProfile.builtIn("seed002"), Map.of(), "main", 5432, CLOCK);
    }

    @Test
    void picksTheNewestSnapshotOfTheDataDatasetBeforeTheTargetAndDestroysNothing() throws Exception {
        RestoreWorkflow w = workflow(fixture());
        // the verification database given: this recorded host answers only zfs list, not the database listing
        RestorePlan plan = w.zfsPlan(w.readZfs(), TARGET, "SELECT count(*) FROM t", "postgres");

        assertEquals("ZFS snapshot tank/services/postgresql/main@autosnap_2025-10-11_10:00:01_hourly", plan.source());
        assertEquals("/var/lib/postgresql/16/main.pre-rollback-20251011-104507", plan.asideDir());
        assertEquals(List.of("Stop the instance", "Snapshot the current state", "Rename the dataset aside",
                "Clone the snapshot in its place", "Start the instance", "Wait until it accepts writes", "Verify"),
                plan.steps().stream().map(RestoreStep::name).toList());
        List<String> lines = plan.steps().stream().flatMap(s -> s.commands().stream()).map(HostCommand::shellLine)
                .toList();
        assertEquals(List.of(
                "sudo -n systemctl stop -- postgresql-main.service",
                "sudo -n zfs snapshot tank/services/postgresql/main@pgdeck-pre-rollback-20251011-104507",
                "sudo -n zfs rename tank/services/postgresql/main tank/services/postgresql/main-pre-rollback-20251011-104507",
                "sudo -n zfs set mountpoint=/var/lib/postgresql/16/main.pre-rollback-20251011-104507"
                        + " tank/services/postgresql/main-pre-rollback-20251011-104507",
                "sudo -n zfs clone -o mountpoint=/var/lib/postgresql/16/main"
                        + " tank/services/postgresql/main-pre-rollback-20251011-104507@autosnap_2025-10-11_10:00:01_hourly"
                        + " tank/services/postgresql/main",
                "sudo -n systemctl start --no-block -- postgresql-main.service"), lines.subList(0, 6));
        assertTrue(lines.stream().noneMatch(l -> l.contains("rollback -r") || l.contains("destroy") || l.contains("rm ")));
        assertTrue(lines.get(lines.size() - 1).startsWith("sudo -n -u postgres env PGCONNECT_TIMEOUT=5"
                + " 'PGOPTIONS=-c default_transaction_read_only=on' psql"), lines.get(lines.size() - 1));
        assertTrue(lines.get(lines.size() - 1).endsWith(" -d postgres -c 'SELECT * FROM (\nSELECT count(*) FROM t\n)"
                + " AS pgdeck_verify'"), lines.get(lines.size() - 1));
        assertEquals(List.of("commits between the snapshot (2025-10-11 10:00:01 UTC) and the target"
                + " (2025-10-11 10:30:00 UTC) are lost: 29 min"), plan.warnings());

        Path script = Files.createTempFile("zfs-plan-", ".sh");
        Files.writeString(script, plan.toShellScript());
        CommandResult syntax = new LocalShell("test", new CommandLog()).run(HostCommand.of("sh", "-n",
                script.toString()), Duration.ofSeconds(10));
        assertTrue(syntax.succeeded(), syntax.describeFailure() + "\n" + plan.toShellScript());
    }

    @Test
    void aRollbackIsSwappedBackByRenamingDataSetsAndDestroysNothing() throws Exception {
        RestoreWorkflow w = workflow(fixture());
        RestorePlan back = w.swapBackPlan(w.zfsPlan(TARGET, null));
        List<String> lines = back.steps().stream().flatMap(s -> s.commands().stream()).map(HostCommand::shellLine)
                .toList();
        assertEquals(List.of(
                "sudo -n systemctl stop -- postgresql-main.service",
                "sudo -n zfs rename tank/services/postgresql/main tank/services/postgresql/main-restored-20251011-104507",
                "sudo -n zfs set mountpoint=/var/lib/postgresql/16/main.restored-20251011-104507"
                        + " tank/services/postgresql/main-restored-20251011-104507",
                "sudo -n zfs set mountpoint=/var/lib/postgresql/16/main"
                        + " tank/services/postgresql/main-pre-rollback-20251011-104507",
                "sudo -n zfs rename tank/services/postgresql/main-pre-rollback-20251011-104507"
                        + " tank/services/postgresql/main",
                "sudo -n systemctl start --no-block -- postgresql-main.service"), lines.subList(0, 6));
        assertEquals("/var/lib/postgresql/16/main.restored-20251011-104507", back.asideDir());
        assertTrue(lines.stream().noneMatch(l -> l.contains("rollback") && l.startsWith("sudo -n zfs rollback")
                || l.contains("destroy") || l.contains("rm ")));
        Path script = Files.createTempFile("zfs-swap-back-", ".sh");
        Files.writeString(script, back.toShellScript());
        CommandResult syntax = new LocalShell("test", new CommandLog()).run(HostCommand.of("sh", "-n",
                script.toString()), Duration.ofSeconds(10));
        assertTrue(syntax.succeeded(), syntax.describeFailure());
    }

    @Test
    void aTargetBeforeTheOldestSnapshotIsRefusedWithTheReason() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> workflow(fixture()).zfsPlan(Instant.parse("2025-10-01T00:00:00Z"), null));
        assertEquals("the oldest snapshot of tank/services/postgresql/main is autosnap_2025-10-10_00:00:01_daily"
                + " (2025-10-10 00:00:01 UTC), after the target 2025-10-01 00:00:00 UTC: restore from a base backup"
                + " instead", e.getMessage());
        assertFalse(HostProfile.builtIn("debian").has("zfsClone"), "no ZFS on the Debian profile");
    }
}
