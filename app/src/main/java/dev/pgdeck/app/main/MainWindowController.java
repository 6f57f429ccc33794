package dev.pgdeck.app.main;

import dev.pgdeck.app.commandlog.CommandLogViewModel;
import dev.pgdeck.app.common.Formats;
import dev.pgdeck.model.CommandLogEntry;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import org.controlsfx.control.ToggleSwitch;

/** Binds the main window's controls to its view models; holds no state of its own. */
public final class MainWindowController {
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final MainViewModel viewModel;
    private final CommandLogViewModel commandLog;

    @FXML private BorderPane root;
    @FXML private javafx.scene.control.TabPane tabs;
    @FXML private Button refreshButton;
    @FXML private Button cancelButton;
    @FXML private ToggleSwitch darkSwitch;
    @FXML private javafx.scene.control.Spinner<Integer> refreshSpinner;
    @FXML private ListView<HostStatus> hostList;
    @FXML private Label instancesTitle;
    @FXML private Label hostError;
    @FXML private Label instancesPlaceholder;
    @FXML private TableView<InstanceStatus> instanceTable;
    @FXML private TableColumn<InstanceStatus, String> nameColumn;
    @FXML private TableColumn<InstanceStatus, String> stateColumn;
    @FXML private TableColumn<InstanceStatus, String> portColumn;
    @FXML private TableColumn<InstanceStatus, String> versionColumn;
    @FXML private TableColumn<InstanceStatus, String> sizeColumn;
    @FXML private TableColumn<InstanceStatus, String> archivedColumn;
    @FXML private TableColumn<InstanceStatus, String> failedColumn;
    @FXML private TableColumn<InstanceStatus, String> lastWalColumn;
    @FXML private TableColumn<InstanceStatus, String> lastWalTimeColumn;
    @FXML private TableColumn<InstanceStatus, String> backupsColumn;
    @FXML private TableColumn<InstanceStatus, String> errorColumn;
    @FXML private TableColumn<InstanceStatus, String> healthColumn;
    @FXML private TableColumn<InstanceStatus, String> windowColumn;
    @FXML private TableColumn<InstanceStatus, String> drillColumn;
    @FXML private TableView<CommandLogEntry> logTable;
    @FXML private TableColumn<CommandLogEntry, String> logTimeColumn;
    @FXML private TableColumn<CommandLogEntry, String> logHostColumn;
    @FXML private TableColumn<CommandLogEntry, String> logKindColumn;
    @FXML private TableColumn<CommandLogEntry, String> logDurationColumn;
    @FXML private TableColumn<CommandLogEntry, String> logOutcomeColumn;
    @FXML private TableColumn<CommandLogEntry, String> logTextColumn;
    @FXML private ProgressBar progressBar;
    @FXML private Label statusLabel;

    public MainWindowController(MainViewModel viewModel, CommandLogViewModel commandLog) {
        this.viewModel = viewModel;
        this.commandLog = commandLog;
    }

    @FXML
    private void initialize() {
        hostList.setItems(viewModel.hostList());
        hostList.setCellFactory(list -> new HostCell());
        hostList.getSelectionModel().selectedItemProperty().addListener((obs, old, host) -> {
            if (host != null) {
                viewModel.selectedHostProperty().set(host);
            }
        });
        viewModel.selectedHostProperty().addListener((obs, old, host) -> showHost(host));
        // a host replaced in the list (it answered a refresh) stays selected
        viewModel.hostList().addListener((javafx.collections.ListChangeListener<HostStatus>) change ->
                showHost(viewModel.selectedHostProperty().get()));

        instanceTable.setItems(viewModel.instances());
        instanceTable.getSelectionModel().selectedItemProperty().addListener((obs, old, instance) -> {
            if (instance != null) {
                viewModel.selectedInstanceProperty().set(instance);
            }
        });
        viewModel.selectedInstanceProperty().addListener((obs, old, instance) -> selectInstance(instance));
        viewModel.instances().addListener((javafx.collections.ListChangeListener<InstanceStatus>) change ->
                selectInstance(viewModel.selectedInstanceProperty().get()));
        column(nameColumn, InstanceStatus::name);
        column(stateColumn, i -> i.running() ? "running" : "down");
        stateColumn.setCellFactory(col -> new StateCell());
        column(portColumn, i -> Integer.toString(i.port()));
        column(versionColumn, i -> orEmpty(i.version()));
        column(sizeColumn, i -> Formats.bytes(i.dataSizeBytes()));
        column(archivedColumn, i -> i.archiver() == null ? "" : Long.toString(i.archiver().archivedCount()));
        column(failedColumn, i -> i.archiver() == null ? "" : Long.toString(i.archiver().failedCount()));
        column(lastWalColumn, i -> i.archiver() == null ? "" : orEmpty(i.archiver().lastArchivedWal()));
        column(lastWalTimeColumn, i -> i.archiver() == null ? "" : Formats.time(i.archiver().lastArchivedTime()));
        column(backupsColumn, i -> i.baseBackupCount() == null ? "" : Integer.toString(i.baseBackupCount()));
        column(healthColumn, i -> i.health() == null ? "" : i.health().state());
        healthColumn.setCellFactory(col -> new HealthCell());
        column(windowColumn, InstanceTexts::window);
        column(drillColumn, i -> InstanceTexts.drill(i, java.time.Instant.now()));
        column(errorColumn, InstanceTexts::why);

        logTable.setItems(commandLog.entries());
        column(logTimeColumn, e -> LOG_TIME.format(e.startedAt()));
        column(logHostColumn, CommandLogEntry::host);
        column(logKindColumn, e -> switch (e.kind()) {
            case SQL -> "SQL";
            case COMMAND -> "command";
            case OUTPUT -> "output";
        });
        column(logDurationColumn, e -> e.kind() == CommandLogEntry.Kind.OUTPUT ? "" : Formats.duration(e.elapsed()));
        column(logOutcomeColumn, CommandLogEntry::outcome);
        column(logTextColumn, e -> e.text().replaceAll("\\s+", " ").strip());
        logTable.setRowFactory(table -> new LogRow());
        logTextColumn.getStyleClass().add("mono");
        commandLog.entries().addListener((javafx.collections.ListChangeListener<CommandLogEntry>) change ->
                logTable.scrollTo(commandLog.entries().size() - 1));

        statusLabel.textProperty().bind(viewModel.statusTextProperty());
        progressBar.progressProperty().bind(viewModel.progressProperty());
        progressBar.visibleProperty().bind(viewModel.busyProperty());
        progressBar.managedProperty().bind(viewModel.busyProperty());
        refreshButton.disableProperty().bind(viewModel.busyProperty());
        cancelButton.disableProperty().bind(viewModel.busyProperty().not());
        darkSwitch.selectedProperty().bindBidirectional(viewModel.darkThemeProperty());

        javafx.scene.control.SpinnerValueFactory.IntegerSpinnerValueFactory every =
                new javafx.scene.control.SpinnerValueFactory.IntegerSpinnerValueFactory(10, 3600,
                        viewModel.refreshSecondsProperty().get(), 10);
        refreshSpinner.setValueFactory(every);
        refreshSpinner.setTooltip(new javafx.scene.control.Tooltip("Every host is refreshed this often (F5: now)"));
        every.valueProperty().addListener((obs, old, seconds) -> {
            if (seconds != null) {
                viewModel.refreshSecondsProperty().set(seconds);
            }
        });
        viewModel.refreshSecondsProperty().addListener((obs, old, seconds) -> every.setValue(seconds.intValue()));
        root.sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                scene.getAccelerators().put(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.F5),
                        viewModel::refresh);
            }
        });
    }

    private void selectInstance(InstanceStatus instance) {
        if (instance != null && instanceTable.getSelectionModel().getSelectedItem() != instance
                && instanceTable.getItems().contains(instance)) {
            instanceTable.getSelectionModel().select(instance);
        }
    }

    private void showHost(HostStatus host) {
        if (host == null) {
            return;
        }
        if (hostList.getSelectionModel().getSelectedItem() != host) {
            hostList.getSelectionModel().select(host);
        }
        instancesTitle.setText("Instances on " + host.name());
        boolean failed = !host.reachable() && !host.isConnecting();
        String since = host.staleSince() == null ? "" : host.instances().isEmpty()
                ? " (stale since " + Formats.clock(host.staleSince()) + ", nothing read yet)"
                : " (shown as of " + Formats.time(host.checkedAt()) + ", stale since "
                        + Formats.clock(host.staleSince()) + ")";
        hostError.setText(failed ? host.name() + " is unreachable" + since + ": " + host.error() : "");
        instancesPlaceholder.setText(host.reachable() ? "No instance configured on " + host.name()
                : host.isConnecting() ? "Waiting for the first answer from " + host.name() + "…"
                : "Nothing read from " + host.name() + " yet");
        hostError.setVisible(failed);
        hostError.setManaged(failed);
    }

    /** The feature tabs, for the views that are built when first opened. */
    public javafx.scene.control.TabPane tabs() {
        return tabs;
    }

    @FXML
    private void refresh() {
        viewModel.refresh();
    }

    @FXML
    private void cancel() {
        viewModel.cancel();
    }

    private static <S> void column(TableColumn<S, String> column, Function<S, String> value) {
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** "running" in green, "down" in red. */
    private static final class StateCell extends javafx.scene.control.TableCell<InstanceStatus, String> {
        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().removeAll("state-running", "state-down");
            setText(empty ? null : item);
            if (!empty && item != null) {
                getStyleClass().add("running".equals(item) ? "state-running" : "state-down");
            }
        }
    }

    /** ok / warn / fail in green, amber, red; the reasons in the tooltip. */
    private static final class HealthCell extends javafx.scene.control.TableCell<InstanceStatus, String> {
        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().removeAll("health-ok", "health-warn", "health-fail");
            setText(empty ? null : item);
            InstanceStatus row = getTableRow() == null ? null : getTableRow().getItem();
            setTooltip(empty || row == null || row.health() == null || row.health().reasons().isEmpty() ? null
                    : new javafx.scene.control.Tooltip(String.join("\n", row.health().reasons())));
            if (!empty && item != null && !item.isEmpty()) {
                getStyleClass().add("health-" + item);
            }
        }
    }

    /** Failed commands stand out. */
    private static final class LogRow extends TableRow<CommandLogEntry> {
        @Override
        protected void updateItem(CommandLogEntry item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().remove("log-failed");
            if (!empty && item != null && item.failed()) {
                getStyleClass().add("log-failed");
            }
        }
    }

}
