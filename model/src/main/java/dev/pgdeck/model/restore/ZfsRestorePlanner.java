package dev.pgdeck.model.restore;

import dev.pgdeck.model.restore.RestoreStep.Kind;
import dev.pgdeck.model.zfs.ZfsSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seed 002's scenario 1 (minutes, not hours): the instance's dataset as it was at a ZFS snapshot. Seed 002 uses
 * {@code zfs rollback -r}, which destroys the current data and every later snapshot; pgdeck never deletes what it
 * replaces, so it snapshots the current state, renames the dataset aside (mounted at
 * {@code <datadir>.pre-rollback-<ts>}) and clones the chosen snapshot in its place. The snapshot is
 * crash-consistent: PostgreSQL replays its own pg_wal on start; commits after the snapshot are lost.
 */
public final class ZfsRestorePlanner {
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final RestoreCommands commands;
    private final ZfsCommands zfs;

    public ZfsRestorePlanner(RestoreCommands commands, ZfsCommands zfs) {
        this.commands = commands;
        this.zfs = zfs;
    }

    /** The newest snapshot of {@code dataset} taken at or before {@code target}, if any. */
    public static Optional<ZfsSnapshot> snapshotFor(List<ZfsSnapshot> snapshots, String dataset, Instant target) {
        return snapshots.stream().filter(s -> s.dataset().equals(dataset) && !s.creation().isAfter(target))
                .max(Comparator.comparing(ZfsSnapshot::creation));
    }

    /** Why no snapshot fits {@code target}, in words. */
    public static String noSnapshotReason(List<ZfsSnapshot> snapshots, String dataset, Instant target) {
        Optional<ZfsSnapshot> oldest = snapshots.stream().filter(s -> s.dataset().equals(dataset))
                .min(Comparator.comparing(ZfsSnapshot::creation));
        return oldest.map(s -> "the oldest snapshot of " + dataset + " is " + s.name() + " (" + SHOWN.format(
                s.creation()) + "), after the target " + SHOWN.format(target)
                + ": restore from a base backup instead")
                .orElse("there is no snapshot of " + dataset);
    }

    public RestorePlan plan(String host, String instance, int port, String dataset, String dataDir,
                            ZfsSnapshot snapshot, Instant target, LocalDateTime now, String verifySql) {
        return plan(host, instance, port, dataset, dataDir, snapshot, target, now, verifySql,
                VerifyQuery.FALLBACK_DATABASE);
    }

    /** As above, the verification query running in {@code verifyDatabase}. */
    public RestorePlan plan(String host, String instance, int port, String dataset, String dataDir,
                            ZfsSnapshot snapshot, Instant target, LocalDateTime now, String verifySql,
                            String verifyDatabase) {
        String stamp = RestorePlanner.STAMP.format(now);
        String asideDataset = dataset + "-pre-rollback-" + stamp;
        String asideDir = dataDir + ".pre-rollback-" + stamp;
        List<RestoreStep> steps = new ArrayList<>();
        steps.add(run("Stop the instance", List.of(commands.stopInstance()), "", true));
        steps.add(run("Snapshot the current state", List.of(zfs.snapshot(dataset + "@pgdeck-pre-rollback-" + stamp)),
                "what the rollback replaces stays recoverable", true));
        steps.add(run("Rename the dataset aside", List.of(zfs.rename(dataset, asideDataset),
                zfs.setMountpoint(asideDataset, asideDir)), "kept as " + asideDataset + ", mounted at " + asideDir
                        + "; never destroyed (seed 002's zfs rollback -r would destroy it and every later snapshot)",
                true));
        steps.add(run("Clone the snapshot in its place", List.of(zfs.cloneAt(asideDataset + "@" + snapshot.name(),
                dataset, dataDir)), snapshot.name() + " taken " + SHOWN.format(snapshot.creation()), false));
        steps.add(run("Start the instance", List.of(commands.startInstance()),
                "PostgreSQL replays the snapshot's own pg_wal (crash recovery)", true));
        steps.add(new RestoreStep("Wait until it accepts writes", Kind.AWAIT_PROMOTION,
                List.of(commands.sql(port, "SELECT pg_is_in_recovery()")), "", false, false));
        if (verifySql != null && !verifySql.isBlank()) {
            steps.add(new RestoreStep("Verify", Kind.VERIFY, List.of(commands.verifyQuery(port,
                    VerifyQuery.psqlDatabase(verifyDatabase), VerifyQuery.statement(verifySql))),
                    "the operator's query on the restored server, in database " + verifyDatabase + ", read-only",
                    false, false));
        }
        List<String> warnings = new ArrayList<>();
        Duration lost = Duration.between(snapshot.creation(), target);
        warnings.add("commits between the snapshot (" + SHOWN.format(snapshot.creation()) + ") and the target ("
                + SHOWN.format(target) + ") are lost: " + lost.toMinutes() + " min");
        return new RestorePlan(host, instance, RestoreMode.IN_PLACE, RecoveryTarget.time(target.atOffset(
                ZoneOffset.UTC)), 0, "ZFS snapshot " + snapshot.fullName(), null, dataDir, dataDir, asideDir, port,
                Map.of(), steps, warnings);
    }

    private static RestoreStep run(String name, List<dev.pgdeck.model.HostCommand> commands, String explanation,
                                   boolean safe) {
        return new RestoreStep(name, Kind.RUN, commands, explanation, safe, false);
    }
}
