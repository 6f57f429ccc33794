package dev.pgdeck.app.instance;

import dev.pgdeck.app.common.TaskRunner;
import dev.pgdeck.app.main.ConsoleHosts;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.overview.BaseBackupSummary;
import dev.pgdeck.model.overview.MetricSample;
import dev.pgdeck.model.restic.ResticSeries;
import dev.pgdeck.model.restic.ResticSnapshot;
import dev.pgdeck.model.systemd.FailedUnit;
import dev.pgdeck.model.systemd.TimerStatus;
import dev.pgdeck.model.zfs.ZfsSnapshot;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.probe.HostActions.RestorePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The detail pane's state for the selected instance: its figures in words, the tables' rows, the timeline's model,
 * and the restore points pgdeck logged for it (read off the JavaFX thread when another instance is selected, or
 * again after one was created).
 */
public final class InstanceDetailViewModel {
    /** A textfile metric sample as one table row. */
    public record MetricRow(String name, String labels, String value) {}

    private final ConsoleHosts hosts;
    private final TaskRunner tasks;

    private final StringProperty title = new SimpleStringProperty("No instance selected");
    private final StringProperty healthState = new SimpleStringProperty("");
    private final ObservableList<String> healthReasons = FXCollections.observableArrayList();
    private final ObservableList<Fact> overview = FXCollections.observableArrayList();
    private final ObservableList<Fact> archiver = FXCollections.observableArrayList();
    private final ObservableList<Fact> archive = FXCollections.observableArrayList();
    private final ObservableList<String> gaps = FXCollections.observableArrayList();
    private final ObservableList<BaseBackupSummary> backups = FXCollections.observableArrayList();
    private final StringProperty backupsNote = new SimpleStringProperty("");
    private final ObservableList<ZfsSnapshot> zfs = FXCollections.observableArrayList();
    private final StringProperty zfsNote = new SimpleStringProperty("");
    private final ObservableList<ResticSnapshot> resticBase = FXCollections.observableArrayList();
    private final ObservableList<ResticSnapshot> resticWal = FXCollections.observableArrayList();
    private final StringProperty resticNote = new SimpleStringProperty("");
    private final ObservableList<TimerStatus> timers = FXCollections.observableArrayList();
    private final ObservableList<FailedUnit> failedUnits = FXCollections.observableArrayList();
    private final ObservableList<MetricRow> metrics = FXCollections.observableArrayList();
    private final StringProperty hostNote = new SimpleStringProperty("");
    private final ObservableList<RestorePoint> restorePoints = FXCollections.observableArrayList();
    private final StringProperty restorePointsNote = new SimpleStringProperty("");
    private final ObjectProperty<TimelineModel> timeline = new SimpleObjectProperty<>();
    private final BackupVerifications verifications = new BackupVerifications();

    private HostStatus host;
    private InstanceStatus instance;
    private String restorePointsFor;

    public InstanceDetailViewModel(ConsoleHosts hosts, TaskRunner tasks) {
        this.hosts = hosts;
        this.tasks = tasks;
    }

    /** Shows {@code instance} of {@code host} (both null: nothing selected). */
    public void show(HostStatus host, InstanceStatus instance) {
        this.host = host;
        this.instance = instance;
        if (host == null || instance == null) {
            title.set("No instance selected");
            List.of(overview, archiver, archive).forEach(ObservableList::clear);
            List.of(gaps, healthReasons).forEach(ObservableList::clear);
            backups.clear();
            zfs.clear();
            resticBase.clear();
            resticWal.clear();
            timeline.set(null);
            healthState.set("");
            return;
        }
        title.set(instance.name() + " on " + host.name() + " (port " + instance.port() + ")");
        healthState.set(instance.health() == null ? "" : instance.health().state());
        healthReasons.setAll(instance.health() == null ? List.of() : instance.health().reasons());
        overview.setAll(InstanceFacts.overview(host, instance));
        archiver.setAll(InstanceFacts.archiver(instance));
        archive.setAll(InstanceFacts.archive(instance));
        gaps.setAll(InstanceFacts.gaps(instance));
        backups.setAll(instance.baseBackups() == null ? List.of() : instance.baseBackups());
        backupsNote.set(instance.baseBackups() == null ? InstanceFacts.unreadable(instance, "baseBackups")
                : instance.baseBackups().size() + " base backups");
        zfs.setAll(instance.zfsSnapshots() == null ? List.of() : instance.zfsSnapshots());
        zfsNote.set(InstanceFacts.zfs(host, instance));
        if (instance.resticSnapshots() == null) {
            resticBase.clear();
            resticWal.clear();
            resticNote.set(InstanceFacts.unreadable(instance, "restic"));
        } else {
            ResticSeries series = ResticSeries.of(instance.resticSnapshots(), instance.name());
            resticBase.setAll(series.baseBackups());
            resticWal.setAll(series.walArchive());
            resticNote.set(series.baseBackups().size() + " base-backup and " + series.walArchive().size()
                    + " WAL-archive snapshots");
        }
        showHost(host);
        String key = host.name() + "/" + instance.name();
        if (!key.equals(restorePointsFor)) {
            restorePointsFor = key;
            restorePoints.clear();
            loadRestorePoints();
        }
        timeline.set(TimelineModel.of(instance, restorePoints));
    }

    private void showHost(HostStatus host) {
        timers.setAll(host.timers() == null ? List.of() : host.timers());
        failedUnits.setAll(host.failedUnits() == null ? List.of() : host.failedUnits());
        List<MetricRow> rows = new ArrayList<>();
        if (host.metrics() != null) {
            for (Map.Entry<String, List<MetricSample>> m : host.metrics().entrySet()) {
                for (MetricSample s : m.getValue()) {
                    rows.add(new MetricRow(m.getKey(), s.labels().entrySet().stream()
                            .map(e -> e.getKey() + "=\"" + e.getValue() + "\"").collect(Collectors.joining(", ")),
                            s.value() == null ? "NaN" : metricValue(m.getKey(), s.value())));
                }
            }
        }
        metrics.setAll(rows);
        List<String> notes = new ArrayList<>();
        host.errors().forEach((part, why) -> notes.add(part + ": " + why));
        hostNote.set(String.join("\n", notes));
    }

    /** Timestamps as times, everything else as the number it is. */
    private static String metricValue(String name, double value) {
        if (name.endsWith("_timestamp") && value > 1e9) {
            return dev.pgdeck.app.common.Formats.time(java.time.Instant.ofEpochSecond((long) value));
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }

    /** Reads pgdeck's restore-point log of the shown instance again (e.g. after one was created). */
    public void loadRestorePoints() {
        HostStatus h = host;
        InstanceStatus i = instance;
        if (h == null || i == null) {
            return;
        }
        restorePointsNote.set("reading pgdeck's restore-point log…");
        tasks.run("restore-points", () -> {
            HostActions actions = hosts.actions(h.name()).orElse(null);
            return actions == null ? null : actions.restorePoints(i.name(), i.port());
        }, points -> {
            if (!Objects.equals(h.name() + "/" + i.name(), restorePointsFor)) {
                return; // another instance was selected meanwhile
            }
            restorePoints.setAll(points == null ? List.of() : points);
            restorePointsNote.set(points == null ? "no actions on this host, so no restore-point log"
                    : points.size() + (points.size() == 1 ? " restore point" : " restore points")
                            + " created by pgdeck (PostgreSQL cannot list them; pgdeck keeps its own log)");
            if (instance != null) {
                timeline.set(TimelineModel.of(instance, restorePoints));
            }
        }, error -> restorePointsNote.set("pgdeck's restore-point log could not be read: " + error.getMessage()));
    }

    public StringProperty titleProperty() { return title; }
    public StringProperty healthStateProperty() { return healthState; }
    public ObservableList<String> healthReasons() { return healthReasons; }
    public ObservableList<Fact> overview() { return overview; }
    public ObservableList<Fact> archiver() { return archiver; }
    public ObservableList<Fact> archive() { return archive; }
    public ObservableList<String> gaps() { return gaps; }
    public ObservableList<BaseBackupSummary> backups() { return backups; }
    public StringProperty backupsNoteProperty() { return backupsNote; }
    public ObservableList<ZfsSnapshot> zfs() { return zfs; }
    public StringProperty zfsNoteProperty() { return zfsNote; }
    public ObservableList<ResticSnapshot> resticBase() { return resticBase; }
    public ObservableList<ResticSnapshot> resticWal() { return resticWal; }
    public StringProperty resticNoteProperty() { return resticNote; }
    public ObservableList<TimerStatus> timers() { return timers; }
    public ObservableList<FailedUnit> failedUnits() { return failedUnits; }
    public ObservableList<MetricRow> metrics() { return metrics; }
    public StringProperty hostNoteProperty() { return hostNote; }
    public ObservableList<RestorePoint> restorePoints() { return restorePoints; }
    public StringProperty restorePointsNoteProperty() { return restorePointsNote; }
    public ObjectProperty<TimelineModel> timelineProperty() { return timeline; }
    public BackupVerifications verifications() { return verifications; }

    /** The shown instance's host name, null when nothing is shown (the verification results are kept by host). */
    public String hostName() { return host == null ? null : host.name(); }

    /** The shown instance's name, null when nothing is shown. */
    public String instanceName() { return instance == null ? null : instance.name(); }
}
