package dev.pgdeck.app.restore;

import dev.pgdeck.app.common.TaskRunner;
import dev.pgdeck.app.restore.RestoreHosts.HostChoice;
import dev.pgdeck.app.restore.RestoreHosts.InstanceChoice;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.model.restore.TargetCheck;
import dev.pgdeck.model.restore.VerifyQuery;
import dev.pgdeck.model.window.TimelineWindow;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.restore.InstanceRecovery;
import dev.pgdeck.remote.restore.RestorePreflight;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.restore.RestoreWorkflow;
import dev.pgdeck.remote.restore.RestoreWorkflow.ZfsState;
import dev.pgdeck.model.zfs.ZfsSnapshot;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The restore wizard's state, shared by its steps: instance → target → backup → mode → pre-flight → plan →
 * confirmation → execution → verification → after. Properties only, no controls. Reading the host, the pre-flight
 * checks and the run go through the {@link TaskRunner}; validating a target is computation on what was read, so it
 * happens at once, as the operator types. The run itself (and what follows it) lives in {@link RestoreRunModel}.
 */
public final class RestoreWizardModel {
    public enum Step { INSTANCE, TARGET, BACKUP, MODE, PREFLIGHT, PLAN, CONFIRM, RUN, VERIFY, AFTER }

    /**
     * Where the restore comes from: the host's own backups and WAL archive, its restic snapshots (scenario 4), or a
     * ZFS snapshot of the instance's dataset (scenario 1; only where the host's profile has ZFS).
     */
    public enum Source { LOCAL, RESTIC, ZFS }

    /** How the target page judges the current target. */
    public enum Verdict { NONE, VALID, WARNED, REFUSED }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final RestoreHosts hosts;
    private final TaskRunner tasks;
    private final RestoreRunModel run;

    private final ObjectProperty<Step> step = new SimpleObjectProperty<>(Step.INSTANCE);

    private final ObservableList<HostChoice> hostChoices = FXCollections.observableArrayList();
    private final ObjectProperty<HostChoice> host = new SimpleObjectProperty<>();
    private final ObservableList<InstanceChoice> instanceChoices = FXCollections.observableArrayList();
    private final ObjectProperty<InstanceChoice> instance = new SimpleObjectProperty<>();
    private final ObjectProperty<Source> source = new SimpleObjectProperty<>(Source.LOCAL);
    private final BooleanProperty reading = new SimpleBooleanProperty(false);
    private final StringProperty instanceMessage = new SimpleStringProperty("");
    private final BooleanProperty instanceFailed = new SimpleBooleanProperty(false);
    private final ObjectProperty<RestoreConnection> connection = new SimpleObjectProperty<>();
    private final ObjectProperty<InstanceRecovery> recovery = new SimpleObjectProperty<>();
    private final ObservableList<String> restorePoints = FXCollections.observableArrayList();
    private final StringProperty zfsUnavailable = new SimpleStringProperty("");
    /** Why this host cannot restore from restic (read from the host with the instance), or empty. */
    private final StringProperty resticUnavailable = new SimpleStringProperty("");
    private final ObjectProperty<ZfsState> zfsState = new SimpleObjectProperty<>();
    private final ObjectProperty<ZfsSnapshot> zfsSnapshot = new SimpleObjectProperty<>();

    private final ObjectProperty<RecoveryTarget.Kind> targetKind = new SimpleObjectProperty<>(RecoveryTarget.Kind.LATEST);
    private final ObjectProperty<LocalDate> targetDate = new SimpleObjectProperty<>();
    private final StringProperty targetClock = new SimpleStringProperty("");
    private final StringProperty targetXid = new SimpleStringProperty("");
    private final StringProperty targetName = new SimpleStringProperty("");
    private final StringProperty targetLsn = new SimpleStringProperty("");
    private final ObservableList<Integer> timelines = FXCollections.observableArrayList();
    private final ObjectProperty<Integer> timeline = new SimpleObjectProperty<>();
    private final ObjectProperty<RecoveryTarget> target = new SimpleObjectProperty<>();
    private final ObjectProperty<Verdict> verdict = new SimpleObjectProperty<>(Verdict.NONE);
    private final StringProperty targetWords = new SimpleStringProperty("");
    private final StringProperty targetMessage = new SimpleStringProperty("");
    private final StringProperty windowText = new SimpleStringProperty("");

    private final ObservableList<BaseBackup> backups = FXCollections.observableArrayList();
    private final ObjectProperty<BaseBackup> backup = new SimpleObjectProperty<>();
    private final StringProperty backupMessage = new SimpleStringProperty("");

    private final ObjectProperty<RestoreMode> mode = new SimpleObjectProperty<>(RestoreMode.DRILL);
    private final StringProperty scratchPort = new SimpleStringProperty("");
    private final StringProperty verifySql = new SimpleStringProperty("");
    /** The instance's databases, largest first, read with the instance; the verification query runs in one. */
    private final ObservableList<String> verifyDatabases = FXCollections.observableArrayList();
    private final StringProperty verifyDatabase = new SimpleStringProperty(VerifyQuery.FALLBACK_DATABASE);
    /** In place, a target other than latest: recovery pauses there, read-only, until the operator promotes. */
    private final BooleanProperty pauseAtTarget = new SimpleBooleanProperty(false);
    private final StringProperty modeMessage = new SimpleStringProperty("");

    private final ObjectProperty<RestorePlan> plan = new SimpleObjectProperty<>();
    private final StringProperty planText = new SimpleStringProperty("");
    private final ObservableList<PreflightCheck> checks = FXCollections.observableArrayList();
    private final BooleanProperty checking = new SimpleBooleanProperty(false);
    private final BooleanProperty verifyArchives = new SimpleBooleanProperty(false);
    private final StringProperty checksMessage = new SimpleStringProperty("");
    private final BooleanProperty checksPassed = new SimpleBooleanProperty(false);

    private final StringProperty confirmText = new SimpleStringProperty("");

    private final BooleanBinding canGoNext;
    private final BooleanBinding canGoBack;
    private final BooleanBinding confirmed;

    public RestoreWizardModel(RestoreHosts hosts, TaskRunner tasks, Executor fx) {
        this.hosts = hosts;
        this.tasks = tasks;
        this.run = new RestoreRunModel(tasks, fx);
        host.addListener((obs, old, now) -> {
            zfsUnavailable.set(now == null ? "" : now.zfsUnavailable());
            if (now != null && !now.hasZfs() && source.get() == Source.ZFS) {
                source.set(Source.LOCAL);
            }
            instanceChoices.setAll(now == null ? List.of() : now.instances());
            instance.set(instanceChoices.isEmpty() ? null : instanceChoices.get(0));
        });
        instance.addListener((obs, old, now) -> readInstance());
        source.addListener((obs, old, now) -> readInstance());
        Observable[] targetFields = {targetKind, targetDate, targetClock, targetXid, targetName, targetLsn, timeline,
                recovery, zfsState};
        for (Observable o : targetFields) {
            o.addListener(x -> validateTarget());
        }
        mode.addListener(x -> plan.set(null));
        pauseAtTarget.addListener(x -> plan.set(null));
        source.addListener((obs, old, now) -> {
            if (now == Source.ZFS) {
                mode.set(RestoreMode.IN_PLACE); // the ZFS plan replaces the instance's dataset: there is no drill
            } else if (old == Source.ZFS) {
                mode.set(RestoreMode.DRILL);
            }
        });
        confirmed = Bindings.createBooleanBinding(() -> mode.get() == RestoreMode.DRILL
                || (connection.get() != null && connection.get().instance().equals(confirmText.get().strip())),
                mode, confirmText, connection);
        canGoNext = Bindings.createBooleanBinding(() -> switch (step.get()) {
            case INSTANCE -> (recovery.get() != null || zfsState.get() != null) && !reading.get()
                    && !instanceFailed.get();
            case TARGET -> verdict.get() == Verdict.VALID || verdict.get() == Verdict.WARNED;
            case BACKUP -> source.get() == Source.ZFS ? zfsSnapshot.get() != null : backup.get() != null;
            case MODE -> mode.get() == RestoreMode.IN_PLACE || scratchPortNumber().isPresent();
            case PREFLIGHT -> !checking.get() && checksPassed.get();
            case PLAN -> plan.get() != null;
            case CONFIRM -> confirmed.get();
            case RUN -> false;
            case VERIFY -> true;
            case AFTER -> false;
        }, step, recovery, zfsState, zfsSnapshot, source, reading, instanceFailed, verdict, backup, mode, scratchPort, checking, checksPassed, plan,
                confirmed);
        canGoBack = Bindings.createBooleanBinding(() -> switch (step.get()) {
            case INSTANCE, RUN, VERIFY -> false;
            case PREFLIGHT -> !checking.get();
            case AFTER -> !run.busyProperty().get();
            default -> true;
        }, step, checking, run.busyProperty());
        run.finishedProperty().addListener((obs, was, finished) -> {
            if (finished && step.get() == Step.RUN) {
                step.set(Step.VERIFY);
            }
        });
    }

    /** Lists the hosts (the sandbox first) and selects the first instance; call once the tab is shown. */
    public void loadHosts() {
        reading.set(true);
        instanceMessage.set("Waiting for the hosts…");
        tasks.run("restore-hosts", hosts::hosts, list -> {
            reading.set(false);
            hostChoices.setAll(list);
            if (!list.isEmpty()) {
                host.set(list.get(0));
            } else {
                instanceMessage.set("There is no host to restore.");
            }
        }, error -> {
            reading.set(false);
            instanceFailed.set(true);
            instanceMessage.set("The hosts could not be listed: " + words(error));
        });
    }

    /** Reads the chosen instance's backups, archive and timelines, and pgdeck's restore points, in the background. */
    public void readInstance() {
        HostChoice h = host.get();
        InstanceChoice i = instance.get();
        Source from = source.get();
        recovery.set(null);
        zfsState.set(null);
        connection.set(null);
        if (h == null || i == null) {
            return;
        }
        reading.set(true);
        instanceFailed.set(false);
        if (from == Source.ZFS) {
            readZfs(h, i);
            return;
        }
        instanceMessage.set("Reading " + i.name() + " on " + h.name() + (from == Source.RESTIC
                ? " from its restic snapshots: base backups, WAL archive, timelines…"
                : ": base backups, WAL archive, timelines…"));
        tasks.run("restore-read", () -> {
            RestoreConnection c = hosts.open(h, i);
            // what the host can run decides which sources are offered (issue 12: capabilities before consequences)
            Unavailable sources = unavailableSources(c.workflow());
            if (from == Source.RESTIC && !sources.restic().isEmpty()) {
                return new Read(c, null, List.of(), sources, List.of());
            }
            InstanceRecovery state = from == Source.RESTIC ? c.workflow().readFromRestic(null, null)
                    : c.workflow().read();
            List<String> points = new ArrayList<>(state.facts().restorePoints().keySet());
            for (HostActions.RestorePoint p : c.actions().restorePoints(i.name(), i.port())) {
                if (!points.contains(p.name())) {
                    points.add(p.name());
                }
            }
            return new Read(c, state, points, sources, databases(c));
        }, read -> {
            if (h != host.get() || i != instance.get() || from != source.get()) {
                return; // the operator chose another instance or source meanwhile
            }
            reading.set(false);
            if (h.zfsUnavailable().isEmpty()) {
                zfsUnavailable.set(read.unavailable().zfs());
            }
            resticUnavailable.set(read.unavailable().restic());
            if (read.state() == null) {
                instanceFailed.set(true);
                instanceMessage.set("restic is not offered for " + h.name() + ": " + read.unavailable().restic());
                source.set(Source.LOCAL);
                return;
            }
            InstanceRecovery state = read.state();
            if (!state.blockingErrors().isEmpty()) {
                instanceFailed.set(true);
                instanceMessage.set("The archive or the backups of " + i.name() + " could not be read: "
                        + String.join("; ", state.blockingErrors()));
                return;
            }
            connection.set(read.connection());
            restorePoints.setAll(read.points());
            chooseDatabases(read.databases());
            TreeSet<Integer> known = new TreeSet<>();
            state.facts().windows().timelines().forEach(w -> known.add(w.timeline()));
            known.add(state.currentTimeline());
            timelines.setAll(known);
            timeline.set(state.currentTimeline());
            Optional<TimelineWindow> w = state.facts().windows().timeline(state.currentTimeline());
            // Pre-filled with the latest time a time target reaches (the last archived commit, to the second
            // below it), not the end of the archive: a time after the last commit is never reached.
            w.map(tw -> tw.latestTimeTarget() != null ? tw.latestTimeTarget().minusNanos(1000) : tw.latest())
                    .ifPresent(latest -> {
                        targetDate.set(latest.atOffset(ZoneOffset.UTC).toLocalDate());
                        targetClock.set(CLOCK.format(latest.atOffset(ZoneOffset.UTC)));
                    });
            recovery.set(state);
            instanceMessage.set((state.restic() == null ? "" : "From restic (base backup snapshot "
                    + state.restic().baseSnapshot() + ", WAL snapshot " + state.restic().walSnapshot() + "): ")
                    + RestoreTexts.instance(state));
        }, error -> {
            if (h != host.get() || i != instance.get() || from != source.get()) {
                return;
            }
            reading.set(false);
            instanceFailed.set(true);
            instanceMessage.set("Reading " + i.name() + " failed: " + words(error));
        });
    }

    private record Read(RestoreConnection connection, InstanceRecovery state, List<String> points,
                        Unavailable unavailable, List<String> databases) {
    }

    /** Why each source the host's profile names cannot be served by this host, in words; empty when it can. */
    private record Unavailable(String zfs, String restic) {
    }

    /** Asks the host once (the workflow keeps the answer); a host that cannot be asked offers what its profile has. */
    private static Unavailable unavailableSources(RestoreWorkflow workflow) {
        try {
            return new Unavailable(workflow.zfsUnavailableHere().orElse(""), workflow.resticUnavailableHere()
                    .orElse(""));
        } catch (HostCommandException | RuntimeException e) {
            return new Unavailable("", "");
        }
    }

    private record ZfsRead(RestoreConnection connection, ZfsState state, List<String> databases) {
    }

    /** The instance's databases, largest first; none when it cannot be asked (down): postgres is then offered. */
    private static List<String> databases(RestoreConnection c) {
        try {
            return c.workflow().databases();
        } catch (HostCommandException e) {
            return List.of();
        }
    }

    /** Offers {@code listed} and selects the largest, the default (read with each instance, before the mode page). */
    private void chooseDatabases(List<String> listed) {
        verifyDatabases.setAll(listed.isEmpty() ? List.of(VerifyQuery.FALLBACK_DATABASE) : listed);
        verifyDatabase.set(verifyDatabases.get(0));
    }

    /** Scenario 1: the snapshots of the instance's data dataset; no base backup or WAL archive is needed. */
    private void readZfs(HostChoice h, InstanceChoice i) {
        instanceMessage.set("Reading the ZFS snapshots of " + i.name() + " on " + h.name() + "…");
        tasks.run("restore-read-zfs", () -> {
            RestoreConnection c = hosts.open(h, i);
            return new ZfsRead(c, c.workflow().readZfs(), databases(c));
        }, read -> {
            if (h != host.get() || i != instance.get() || source.get() != Source.ZFS) {
                return;
            }
            reading.set(false);
            ZfsState state = read.state();
            if (state.snapshots().isEmpty()) {
                instanceFailed.set(true);
                instanceMessage.set("There is no ZFS snapshot of " + state.dataset() + " on " + h.name() + ".");
                return;
            }
            connection.set(read.connection());
            chooseDatabases(read.databases());
            ZfsSnapshot newest = state.snapshots().get(state.snapshots().size() - 1);
            targetDate.set(newest.creation().atOffset(ZoneOffset.UTC).toLocalDate());
            targetClock.set(CLOCK.format(newest.creation().atOffset(ZoneOffset.UTC)));
            if (targetKind.get() != RecoveryTarget.Kind.LATEST) {
                targetKind.set(RecoveryTarget.Kind.TIME);
            }
            zfsState.set(state);
            instanceMessage.set(i.name() + " (port " + i.port() + "): " + RestoreTexts.zfsSnapshots(state) + ".");
        }, error -> {
            if (h != host.get() || i != instance.get() || source.get() != Source.ZFS) {
                return;
            }
            reading.set(false);
            instanceFailed.set(true);
            instanceMessage.set("Reading the ZFS snapshots of " + i.name() + " failed: " + words(error));
        });
    }

    /** Judges the target against the recoverable window at once: refused with the reason, or warned near edges. */
    void validateTarget() {
        if (source.get() == Source.ZFS) {
            validateZfsTarget();
            return;
        }
        zfsSnapshot.set(null);
        InstanceRecovery state = recovery.get();
        RestoreConnection c = connection.get();
        target.set(null);
        if (state == null || c == null || timeline.get() == null) {
            verdict.set(Verdict.NONE);
            targetWords.set("");
            targetMessage.set("");
            windowText.set("");
            return;
        }
        int tl = timeline.get();
        windowText.set("The instance is " + RestoreTexts.window(state, tl) + ".");
        RecoveryTarget t;
        try {
            t = TargetInput.parse(targetKind.get(), targetDate.get(), targetClock.get(), targetXid.get(),
                    targetName.get(), targetLsn.get());
        } catch (IllegalArgumentException e) {
            verdict.set(Verdict.REFUSED);
            targetWords.set("");
            targetMessage.set(e.getMessage());
            return;
        }
        RestoreWorkflow w = c.workflow();
        Optional<BaseBackup> chosen = w.chooseBackup(state, t, tl);
        if (chosen.isEmpty()) {
            verdict.set(Verdict.REFUSED);
            targetWords.set(RestoreTexts.target(t, tl));
            targetMessage.set("Refused: " + w.explain(state, t, tl).reason() + ".");
            return;
        }
        TargetCheck check = w.check(state, t, chosen.get(), tl);
        target.set(t);
        targetWords.set(RestoreTexts.target(t, tl) + " From backup " + chosen.get().label() + ".");
        if (check.warnings().isEmpty()) {
            verdict.set(Verdict.VALID);
            targetMessage.set("The target is inside the recoverable window.");
        } else {
            verdict.set(Verdict.WARNED);
            targetMessage.set("Warning: " + String.join("; ", check.warnings()) + ".");
        }
    }

    /**
     * A ZFS snapshot is an image at one moment: the target is the latest or a time, and the snapshot used is the
     * newest at or before it. Commits after the snapshot are lost, so a valid target is always a warned one.
     */
    private void validateZfsTarget() {
        ZfsState state = zfsState.get();
        target.set(null);
        zfsSnapshot.set(null);
        if (state == null || connection.get() == null) {
            verdict.set(Verdict.NONE);
            targetWords.set("");
            targetMessage.set("");
            windowText.set("");
            return;
        }
        windowText.set(RestoreTexts.zfsSnapshots(state) + ". A snapshot is an image at one moment: restore to the"
                + " latest or to a time.");
        RecoveryTarget.Kind kind = targetKind.get();
        if (kind != RecoveryTarget.Kind.LATEST && kind != RecoveryTarget.Kind.TIME) {
            verdict.set(Verdict.REFUSED);
            targetWords.set("");
            targetMessage.set("Refused: a ZFS snapshot is an image at one moment, not a WAL position: choose Latest"
                    + " or A time.");
            return;
        }
        RecoveryTarget t;
        try {
            t = TargetInput.parse(kind, targetDate.get(), targetClock.get(), "", "", "");
        } catch (IllegalArgumentException e) {
            verdict.set(Verdict.REFUSED);
            targetWords.set("");
            targetMessage.set(e.getMessage());
            return;
        }
        Instant at = kind == RecoveryTarget.Kind.LATEST ? Instant.now().truncatedTo(ChronoUnit.SECONDS)
                : t.time().toInstant();
        Optional<ZfsSnapshot> chosen = state.snapshotFor(at);
        if (chosen.isEmpty()) {
            verdict.set(Verdict.REFUSED);
            targetWords.set("");
            targetMessage.set("Refused: " + state.noSnapshotReason(at) + ".");
            return;
        }
        target.set(RecoveryTarget.time(at.atOffset(ZoneOffset.UTC)));
        zfsSnapshot.set(chosen.get());
        targetWords.set(RestoreTexts.zfsTarget(chosen.get(), at));
        verdict.set(Verdict.WARNED);
        targetMessage.set("Warning: commits between the snapshot and the target are lost: "
                + RestoreTexts.minutes(chosen.get().creation(), at) + ".");
    }

    public void next() {
        if (!canGoNext.get()) {
            return;
        }
        switch (step.get()) {
            case INSTANCE -> step.set(Step.TARGET);
            case TARGET -> {
                if (source.get() == Source.ZFS) {
                    step.set(Step.BACKUP);
                    return;
                }
                chooseBackups();
                step.set(Step.BACKUP);
            }
            case BACKUP -> {
                if (source.get() == Source.ZFS) {
                    mode.set(RestoreMode.IN_PLACE);
                } else if (scratchPort.get().isBlank()) {
                    scratchPort.set(Integer.toString(RestoreWorkflow.defaultScratchPort(connection.get().port())));
                }
                step.set(Step.MODE);
            }
            case MODE -> {
                if (buildPlan()) {
                    step.set(Step.PREFLIGHT);
                    runChecks();
                }
            }
            case PREFLIGHT -> step.set(Step.PLAN);
            case PLAN -> {
                confirmText.set("");
                step.set(Step.CONFIRM);
            }
            case CONFIRM -> {
                step.set(Step.RUN);
                run.start(connection.get(), plan.get());
            }
            case VERIFY -> step.set(Step.AFTER);
            default -> { }
        }
    }

    public void back() {
        if (!canGoBack.get()) {
            return;
        }
        switch (step.get()) {
            case TARGET -> step.set(Step.INSTANCE);
            case BACKUP -> step.set(Step.TARGET);
            case MODE -> step.set(Step.BACKUP);
            case PREFLIGHT -> step.set(Step.MODE);
            case PLAN -> step.set(Step.PREFLIGHT);
            case CONFIRM -> step.set(Step.PLAN);
            case AFTER -> step.set(Step.VERIFY);
            default -> { }
        }
    }

    /** After a restore: read the instance again and start from the target page. */
    public void startOver() {
        if (run.busyProperty().get()) {
            return;
        }
        run.reset();
        plan.set(null);
        step.set(Step.INSTANCE);
        readInstance();
    }

    private void chooseBackups() {
        InstanceRecovery state = recovery.get();
        RestoreWorkflow w = connection.get().workflow();
        RecoveryTarget t = target.get();
        int tl = timeline.get();
        backups.setAll(w.validBackups(state, t, tl));
        BaseBackup chosen = w.chooseBackup(state, t, tl).orElse(null);
        backup.set(chosen);
        backupMessage.set(backups.size() == 1 ? "One base backup can reach this target; it is selected."
                : backups.size() + " base backups can reach this target; " + (chosen == null ? "none"
                : chosen.label()) + " is selected (" + (t.kind() == RecoveryTarget.Kind.XID
                || (t.kind() == RecoveryTarget.Kind.NAME && !state.facts().restorePoints().containsKey(t.text()))
                ? "the oldest with unbroken WAL to the end of the archive, since this target cannot be placed ahead"
                : "the newest, so the least WAL is replayed") + ").");
    }

    private boolean buildPlan() {
        RestoreConnection c = connection.get();
        int port = mode.get() == RestoreMode.DRILL && source.get() != Source.ZFS ? scratchPortNumber().orElseThrow() : c.port();
        String sql = verifySql.get() == null || verifySql.get().isBlank() ? null : verifySql.get().strip();
        // never null here: the plan must not ask the host for a default on the FX thread
        String database = verifyDatabase.get() == null || verifyDatabase.get().isBlank()
                ? VerifyQuery.FALLBACK_DATABASE : verifyDatabase.get();
        try {
            RestorePlan p = source.get() == Source.ZFS
                    ? c.workflow().zfsPlan(zfsState.get(), target.get().time().toInstant(), sql, database)
                    : c.workflow().plan(recovery.get(), target.get(), backup.get(), timeline.get(), mode.get(),
                    port, sql, database, canPauseAtTarget() && pauseAtTarget.get());
            plan.set(p);
            planText.set(p.toShellScript());
            modeMessage.set("");
            return true;
        } catch (IllegalArgumentException e) {
            modeMessage.set("The plan could not be made: " + e.getMessage());
            return false;
        }
    }

    /** The pre-flight checks of the plan, in the background; again with "verify archives" to read them whole. */
    public void runChecks() {
        RestorePlan p = plan.get();
        if (p == null || checking.get()) {
            return;
        }
        checking.set(true);
        checksPassed.set(false);
        checks.clear();
        boolean whole = verifyArchives.get();
        checksMessage.set(whole ? "Checking, reading the backup's archives whole (gzip -t)…" : "Checking…");
        RestoreWorkflow w = connection.get().workflow();
        InstanceRecovery state = recovery.get();
        ZfsState zfs = source.get() == Source.ZFS ? zfsState.get() : null;
        tasks.run("restore-preflight", () -> zfs != null ? w.zfsPreflight(p, zfs) : w.preflight(p, state, whole),
                result -> {
            checking.set(false);
            checks.setAll(result);
            boolean failed = RestorePreflight.anyFailed(result);
            long warned = result.stream().filter(c -> c.status() == PreflightCheck.Status.WARN).count();
            checksPassed.set(!failed);
            checksMessage.set(failed ? "A check failed: nothing can run until it is put right."
                    : warned > 0 ? "No check failed; read the " + warned + " warning" + (warned == 1 ? "" : "s")
                    + " before going on." : "Every check passed.");
        }, error -> {
            checking.set(false);
            checksMessage.set("The checks could not run: " + words(error));
        });
    }

    Optional<Integer> scratchPortNumber() {
        String s = scratchPort.get() == null ? "" : scratchPort.get().strip();
        if (!s.matches("[0-9]{1,5}")) {
            return Optional.empty();
        }
        int p = Integer.parseInt(s);
        return p >= 1024 && p <= 65535 ? Optional.of(p) : Optional.empty();
    }

    /** The error in words: its message, not its class. */
    static String words(Throwable error) {
        Throwable e = error;
        while (e.getMessage() == null && e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    public RestoreRunModel run() { return run; }
    public ObjectProperty<Step> stepProperty() { return step; }
    public ObservableList<HostChoice> hostChoices() { return hostChoices; }
    public ObjectProperty<HostChoice> hostProperty() { return host; }
    public ObservableList<InstanceChoice> instanceChoices() { return instanceChoices; }
    public ObjectProperty<InstanceChoice> instanceProperty() { return instance; }
    public ObjectProperty<Source> sourceProperty() { return source; }
    public BooleanProperty readingProperty() { return reading; }
    public StringProperty zfsUnavailableProperty() { return zfsUnavailable; }
    public StringProperty resticUnavailableProperty() { return resticUnavailable; }
    public ObjectProperty<ZfsState> zfsStateProperty() { return zfsState; }
    public ObjectProperty<ZfsSnapshot> zfsSnapshotProperty() { return zfsSnapshot; }
    public StringProperty instanceMessageProperty() { return instanceMessage; }
    public BooleanProperty instanceFailedProperty() { return instanceFailed; }
    public ObjectProperty<RestoreConnection> connectionProperty() { return connection; }
    public ObjectProperty<InstanceRecovery> recoveryProperty() { return recovery; }
    public ObservableList<String> restorePoints() { return restorePoints; }
    public ObjectProperty<RecoveryTarget.Kind> targetKindProperty() { return targetKind; }
    public ObjectProperty<LocalDate> targetDateProperty() { return targetDate; }
    public StringProperty targetClockProperty() { return targetClock; }
    public StringProperty targetXidProperty() { return targetXid; }
    public StringProperty targetNameProperty() { return targetName; }
    public StringProperty targetLsnProperty() { return targetLsn; }
    public ObservableList<Integer> timelines() { return timelines; }
    public ObjectProperty<Integer> timelineProperty() { return timeline; }
    public ObjectProperty<RecoveryTarget> targetProperty() { return target; }
    public ObjectProperty<Verdict> verdictProperty() { return verdict; }
    public StringProperty targetWordsProperty() { return targetWords; }
    public StringProperty targetMessageProperty() { return targetMessage; }
    public StringProperty windowTextProperty() { return windowText; }
    public ObservableList<BaseBackup> backups() { return backups; }
    public ObjectProperty<BaseBackup> backupProperty() { return backup; }
    public StringProperty backupMessageProperty() { return backupMessage; }
    public ObjectProperty<RestoreMode> modeProperty() { return mode; }
    public StringProperty scratchPortProperty() { return scratchPort; }
    public StringProperty verifySqlProperty() { return verifySql; }
    public ObservableList<String> verifyDatabases() { return verifyDatabases; }
    /** The database the verification query runs in (default: the largest listed). */
    public StringProperty verifyDatabaseProperty() { return verifyDatabase; }
    public BooleanProperty pauseAtTargetProperty() { return pauseAtTarget; }

    /** Pausing needs an in-place restore from a backup to a target other than latest (a drill removes its copy). */
    public boolean canPauseAtTarget() {
        return mode.get() == RestoreMode.IN_PLACE && source.get() != Source.ZFS && target.get() != null
                && target.get().kind() != RecoveryTarget.Kind.LATEST;
    }
    public StringProperty modeMessageProperty() { return modeMessage; }
    public ObjectProperty<RestorePlan> planProperty() { return plan; }
    public StringProperty planTextProperty() { return planText; }
    public ObservableList<PreflightCheck> checks() { return checks; }
    public BooleanProperty checkingProperty() { return checking; }
    public BooleanProperty verifyArchivesProperty() { return verifyArchives; }
    public StringProperty checksMessageProperty() { return checksMessage; }
    public StringProperty confirmTextProperty() { return confirmText; }
    public BooleanBinding confirmed() { return confirmed; }
    public BooleanBinding canGoNext() { return canGoNext; }
    public BooleanBinding canGoBack() { return canGoBack; }
}
