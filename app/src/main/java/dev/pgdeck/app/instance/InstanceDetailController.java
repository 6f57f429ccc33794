package dev.pgdeck.app.instance;

import dev.pgdeck.app.common.Formats;
import dev.pgdeck.app.instance.InstanceActions.Action;
import dev.pgdeck.app.instance.InstanceActions.Confirmation;
import dev.pgdeck.app.instance.InstanceDetailViewModel.MetricRow;
import dev.pgdeck.model.overview.BaseBackupSummary;
import dev.pgdeck.model.restic.ResticSnapshot;
import dev.pgdeck.model.systemd.FailedUnit;
import dev.pgdeck.model.systemd.TimerStatus;
import dev.pgdeck.model.zfs.ZfsSnapshot;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar.ButtonData;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Polygon;
import javafx.scene.shape.Rectangle;
import javafx.stage.Window;

/** Binds the instance detail pane (figures, tables, timeline, actions) to its view model. */
public final class InstanceDetailController {
    private final InstanceDetailViewModel viewModel;
    private final InstanceActions actions;
    private final dev.pgdeck.app.main.MainViewModel main;

    @FXML private VBox detailRoot;
    @FXML private Label detailTitle;
    @FXML private Label detailHealth;
    @FXML private Button baseBackupButton;
    @FXML private Button switchWalButton;
    @FXML private Button restorePointButton;
    @FXML private FactsPane overviewFacts;
    @FXML private ListView<String> healthReasons;
    @FXML private FactsPane archiverFacts;
    @FXML private FactsPane archiveFacts;
    @FXML private ListView<String> gapList;
    @FXML private Label backupsNote;
    @FXML private TableView<BaseBackupSummary> backupTable;
    @FXML private Button verifyBackupButton;
    @FXML private RecoverableTimeline timeline;
    @FXML private FlowPane timelineLegend;
    @FXML private javafx.scene.control.CheckBox timelineShowAll;
    @FXML private Label restorePointsNote;
    @FXML private Label zfsNote;
    @FXML private TableView<ZfsSnapshot> zfsTable;
    @FXML private Label resticNote;
    @FXML private TreeTableView<ResticRow> resticTree;
    @FXML private TableView<TimerStatus> timerTable;
    @FXML private TableView<FailedUnit> failedTable;
    @FXML private TableView<MetricRow> metricTable;
    @FXML private Label hostNote;

    public InstanceDetailController(InstanceDetailViewModel viewModel, InstanceActions actions,
                                    dev.pgdeck.app.main.MainViewModel main) {
        this.viewModel = viewModel;
        this.actions = actions;
        this.main = main;
    }

    @FXML
    private void initialize() {
        detailTitle.textProperty().bind(viewModel.titleProperty());
        detailHealth.textProperty().bind(viewModel.healthStateProperty());
        viewModel.healthStateProperty().addListener((obs, old, state) -> {
            detailHealth.getStyleClass().removeAll("health-ok", "health-warn", "health-fail");
            if (state != null && !state.isEmpty()) {
                detailHealth.getStyleClass().add("health-" + state);
            }
        });
        var noInstance = main.selectedInstanceProperty().isNull().or(main.busyProperty());
        List.of(baseBackupButton, switchWalButton, restorePointButton).forEach(b -> b.disableProperty().bind(noInstance));

        overviewFacts.bind(viewModel.overview());
        healthReasons.setItems(viewModel.healthReasons());
        if (healthReasons.getPlaceholder() instanceof Label placeholder) {
            // "nothing to report" only about an instance that was read
            placeholder.visibleProperty().bind(viewModel.healthStateProperty().isNotEmpty());
        }
        healthReasons.setCellFactory(list -> wrapping(list));
        gapList.setCellFactory(list -> wrapping(list));
        archiverFacts.bind(viewModel.archiver());
        archiveFacts.bind(viewModel.archive());
        gapList.setItems(viewModel.gaps());

        backupsNote.textProperty().bind(viewModel.backupsNoteProperty());
        backupTable.setItems(viewModel.backups());
        addColumns(backupTable, List.of(
                column("Label", 130, BaseBackupSummary::label),
                column("Start", 150, b -> Formats.time(b.startTime())),
                column("Stop", 150, b -> Formats.time(b.stopTime())),
                column("Start LSN", 100, BaseBackupSummary::startLsn),
                column("Stop LSN", 100, BaseBackupSummary::stopLsn),
                column("TL", 40, b -> b.timeline() == null ? "" : b.timeline().toString()),
                column("Size", 80, b -> Formats.bytes(b.sizeBytes())),
                column("Tablespaces", 90, b -> b.tablespaces().isEmpty() ? "" : String.join(", ", b.tablespaces())),
                column("Read from", 140, b -> b.problem() != null ? b.problem() : b.source()),
                verifiedColumn()));
        BackupVerifications verifications = viewModel.verifications();
        verifications.changes().addListener((obs, old, n) -> backupTable.refresh());
        verifyBackupButton.disableProperty().bind(backupTable.getSelectionModel().selectedItemProperty().isNull()
                .or(main.busyProperty()));
        verifyBackupButton.setTooltip(new javafx.scene.control.Tooltip("pg_verifybackup on the selected backup"
                + " (a tar backup is unpacked into a temporary directory on the host first)"));

        timeline.setModel(viewModel.timelineProperty().get());
        viewModel.timelineProperty().addListener((obs, old, model) -> timeline.setModel(model));
        legend();
        timeline.showAllProperty().bind(timelineShowAll.selectedProperty());
        restorePointsNote.textProperty().bind(viewModel.restorePointsNoteProperty());

        zfsNote.textProperty().bind(viewModel.zfsNoteProperty());
        zfsTable.setItems(viewModel.zfs());
        addColumns(zfsTable, List.of(
                column("Dataset", 230, ZfsSnapshot::dataset),
                column("Snapshot", 260, ZfsSnapshot::name),
                column("Created", 150, z -> Formats.time(z.creation())),
                column("Used", 80, z -> Formats.bytes(z.used())),
                column("Refer", 80, z -> Formats.bytes(z.refer())),
                replicatedColumn()));

        resticNote.textProperty().bind(viewModel.resticNoteProperty());
        resticTree.setShowRoot(false);
        resticTree.setRoot(new TreeItem<>());
        treeColumn("Series / time", 200, r -> Formats.time(r.time()));
        treeColumn("Id", 90, ResticSnapshot::shortId);
        treeColumn("Tags", 260, r -> String.join(", ", r.tags()));
        treeColumn("Paths", 320, r -> String.join(", ", r.paths()));
        treeColumn("Host", 100, ResticSnapshot::hostname);
        resticTree.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        ListChangeListener<ResticSnapshot> restic = change -> fillRestic();
        viewModel.resticBase().addListener(restic);
        viewModel.resticWal().addListener(restic);
        fillRestic();

        timerTable.setItems(viewModel.timers());
        addColumns(timerTable, List.of(
                column("Timer", 270, TimerStatus::unit),
                column("Last run", 145, t -> t.last() == null ? "never" : Formats.time(t.last())),
                column("Next run", 145, t -> t.next() == null ? "not scheduled" : Formats.time(t.next())),
                column("Activates", 200, t -> String.join(", ", t.activates()))));
        failedTable.setItems(viewModel.failedUnits());
        addColumns(failedTable, List.of(
                column("Failed unit", 250, FailedUnit::unit),
                column("State", 110, u -> u.active() + " / " + u.sub()),
                column("Description", 300, FailedUnit::description)));
        metricTable.setItems(viewModel.metrics());
        addColumns(metricTable, List.of(
                column("Metric", 290, MetricRow::name),
                column("Value", 145, MetricRow::value),
                column("Labels", 150, MetricRow::labels)));
        hostNote.textProperty().bind(viewModel.hostNoteProperty());
    }

    private void fillRestic() {
        TreeItem<ResticRow> root = resticTree.getRoot();
        root.getChildren().setAll(series("Base backups", viewModel.resticBase()),
                series("WAL archive", viewModel.resticWal()));
    }

    /** A restic tree row: a series' header ({@code snapshot} null) or one snapshot. */
    private record ResticRow(String series, ResticSnapshot snapshot) {}

    /** A series' header row and its snapshots, newest first. */
    private static TreeItem<ResticRow> series(String name, List<ResticSnapshot> snapshots) {
        TreeItem<ResticRow> header = new TreeItem<>(new ResticRow(name + " (" + snapshots.size() + ")", null));
        header.getChildren().setAll(snapshots.stream().sorted((a, b) -> b.time().compareTo(a.time()))
                .map(s -> new TreeItem<>(new ResticRow(name, s))).toList());
        header.setExpanded(true);
        return header;
    }

    private void treeColumn(String title, double width, Function<ResticSnapshot, String> value) {
        TreeTableColumn<ResticRow, String> column = new TreeTableColumn<>(title);
        column.setPrefWidth(width);
        boolean first = resticTree.getColumns().isEmpty();
        column.setCellValueFactory(cell -> {
            ResticRow row = cell.getValue().getValue();
            if (row == null) {
                return new ReadOnlyObjectWrapper<>("");
            }
            if (row.snapshot() == null) {
                return new ReadOnlyObjectWrapper<>(first ? row.series() : "");
            }
            return new ReadOnlyObjectWrapper<>(value.apply(row.snapshot()));
        });
        resticTree.getColumns().add(column);
    }

    /** One swatch per kind of mark, with the same style classes as the marks (so both follow the theme). */
    private void legend() {
        record Key(String text, String style, boolean point) {}
        for (Key key : List.of(new Key("Base backup", "timeline-backup", false),
                new Key("WAL coverage", "timeline-wal", false), new Key("Gap", "timeline-gap", false),
                new Key("Restore point", "timeline-restore-point", true), new Key("ZFS snapshot", "timeline-zfs", true),
                new Key("restic: base backups", "timeline-restic-base", true),
                new Key("restic: WAL archive", "timeline-restic-wal", true))) {
            javafx.scene.Node swatch = key.point() ? new Polygon(5, 0, 10, 6, 5, 12, 0, 6) : new Rectangle(18, 10);
            swatch.getStyleClass().addAll("timeline-mark", key.style());
            Label label = new Label(key.text());
            label.getStyleClass().add("timeline-legend-label");
            HBox entry = new HBox(5, swatch, label);
            entry.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            timelineLegend.getChildren().add(entry);
        }
    }

    /** yes / no / — (no replication target, or outside its source); "no" in amber. */
    private TableColumn<ZfsSnapshot, String> replicatedColumn() {
        TableColumn<ZfsSnapshot, String> column = column("Replicated", 90,
                z -> z.replicated() == null ? "—" : z.replicated() ? "yes" : "no");
        column.setId("replicatedColumn");
        column.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeAll("replicated-yes", "replicated-no");
                setText(empty ? null : item);
                if (!empty && ("yes".equals(item) || "no".equals(item))) {
                    getStyleClass().add("replicated-" + item);
                }
            }
        });
        return column;
    }

    /** What pg_verifybackup said about each backup in this session; green ok, red problems. */
    private TableColumn<BaseBackupSummary, String> verifiedColumn() {
        BackupVerifications verifications = viewModel.verifications();
        TableColumn<BaseBackupSummary, String> column = column("Verified", 260, b -> verifications.text(
                viewModel.hostName(), viewModel.instanceName(), b.label()));
        column.setId("verifiedColumn");
        column.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeAll("verify-ok", "verify-failed", "verify-none");
                setText(empty ? null : item);
                BaseBackupSummary row = getTableRow() == null ? null : getTableRow().getItem();
                if (!empty && row != null) {
                    Boolean ok = verifications.ok(viewModel.hostName(), viewModel.instanceName(), row.label());
                    getStyleClass().add(ok == null ? "verify-none" : ok ? "verify-ok" : "verify-failed");
                }
            }
        });
        return column;
    }

    @FXML
    private void verifyBackup() {
        BaseBackupSummary selected = backupTable.getSelectionModel().getSelectedItem();
        actions.verifyBackup(selected == null ? null : selected.label(), this::problem);
    }

    @FXML
    private void baseBackup() {
        actions.plan(Action.BASE_BACKUP, null, this::confirm, this::problem);
    }

    @FXML
    private void switchWal() {
        actions.plan(Action.SWITCH_WAL, null, this::confirm, this::problem);
    }

    @FXML
    private void restorePoint() {
        TextInputDialog ask = new TextInputDialog();
        ask.initOwner(window());
        ask.setTitle("pgdeck: create restore point");
        ask.setHeaderText("Name of the restore point (a recovery can stop at it: recovery_target_name)");
        ask.setContentText("Name:");
        ask.getEditor().setId("restorePointName");
        ask.showAndWait().ifPresent(name -> actions.plan(Action.RESTORE_POINT, name.strip(), this::confirm,
                this::problem));
    }

    /** Shows the exact command; it runs only on "Run". */
    private void confirm(Confirmation c) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION);
        alert.initOwner(window());
        alert.setTitle("pgdeck: " + c.planned().what());
        alert.setHeaderText(c.planned().what() + " (" + c.hostName() + ")? This command runs on the host:");
        TextArea command = new TextArea(c.planned().command().shellLine());
        command.setId("actionCommand");
        command.setEditable(false);
        command.setWrapText(true);
        command.setPrefRowCount(4);
        command.setPrefColumnCount(60);
        command.getStyleClass().add("mono");
        VBox content = new VBox(6, command);
        if (c.action() == Action.RESTORE_POINT) {
            content.getChildren().add(new Label("Then one line is appended to pgdeck's restore-point log."));
        }
        alert.getDialogPane().setContent(content);
        ButtonType run = new ButtonType("Run", ButtonData.OK_DONE);
        alert.getButtonTypes().setAll(run, ButtonType.CANCEL);
        ((Button) alert.getDialogPane().lookupButton(run)).setId("actionRun");
        ((Button) alert.getDialogPane().lookupButton(run)).setDefaultButton(false);
        ((Button) alert.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        alert.setOnHidden(e -> {
            if (alert.getResult() == run) {
                actions.run(c, message -> problem(message));
            }
        });
        alert.show();
    }

    private void problem(String message) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.initOwner(window());
        alert.setTitle("pgdeck");
        alert.setHeaderText("The action could not run");
        Label text = new Label(message);
        text.setWrapText(true);
        text.setMaxWidth(560);
        alert.getDialogPane().setContent(text);
        alert.show();
    }

    private Window window() {
        return detailRoot.getScene() == null ? null : detailRoot.getScene().getWindow();
    }

    /** A list cell whose long text wraps within the list's width instead of scrolling sideways. */
    private static javafx.scene.control.ListCell<String> wrapping(ListView<String> list) {
        javafx.scene.control.ListCell<String> cell = new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
            }
        };
        cell.setWrapText(true);
        cell.prefWidthProperty().bind(list.widthProperty().subtract(18));
        cell.setMaxWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return cell;
    }

    private static <S> TableColumn<S, String> column(String title, double width, Function<S, String> value) {
        TableColumn<S, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return column;
    }

    private static <S> void addColumns(TableView<S> table, List<TableColumn<S, String>> columns) {
        table.getColumns().setAll(columns);
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
    }
}
