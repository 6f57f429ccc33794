package dev.pgdeck.app.restore;

import dev.pgdeck.app.restore.RestoreHosts.HostChoice;
import dev.pgdeck.app.restore.RestoreHosts.InstanceChoice;
import dev.pgdeck.app.restore.RestoreWizardModel.Step;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** Binds the restore wizard's pages to its {@link RestoreWizardModel}; page-level state lives in the model. */
public final class RestoreWizardController {
    private static final Map<Step, String> TITLES = new EnumMap<>(Map.of(
            Step.INSTANCE, "instance", Step.TARGET, "target", Step.BACKUP, "base backup", Step.MODE, "mode",
            Step.PREFLIGHT, "pre-flight checks", Step.PLAN, "the plan", Step.CONFIRM, "confirmation",
            Step.RUN, "execution", Step.VERIFY, "verification", Step.AFTER, "after the restore"));
    private static final Map<Step, String> HINTS = new EnumMap<>(Map.of(
            Step.INSTANCE, "Which instance to restore. Its backups, WAL archive and timelines are read from the host.",
            Step.TARGET, "Where recovery stops. The target is checked against the recoverable window as you type.",
            Step.BACKUP, "The newest backup that can reach the target is chosen; any other listed here can too.",
            Step.MODE, "A drill proves recovery works without touching the instance; in place replaces its data.",
            Step.PREFLIGHT, "Nothing has run yet: these checks only read.",
            Step.PLAN, "Review the plan; it is what will run, and can be run by hand as a shell script.",
            Step.CONFIRM, "Last step before anything changes.",
            Step.RUN, "The restore runs step by step; the log below shows every command and the server's log.",
            Step.VERIFY, "What the restored server says.",
            Step.AFTER, "What to do now."));

    /** Where a restore from a ZFS snapshot differs: no base backup, no WAL window. */
    private static final Map<Step, String> ZFS_HINTS = new EnumMap<>(Map.of(
            Step.INSTANCE, "Which instance to restore. The snapshots of its ZFS dataset are read from the host.",
            Step.TARGET, "The moment to go back to. The snapshot used is the newest taken at or before it.",
            Step.BACKUP, "The snapshot the instance's dataset is cloned from.",
            Step.MODE, "From a ZFS snapshot the instance's dataset is replaced (renamed aside, never destroyed)."));

    private final RestoreWizardModel model;
    private final RestoreRunModel run;

    @FXML private Label stepTitle;
    @FXML private Label stepHint;
    @FXML private Node instancePage;
    @FXML private Node targetPage;
    @FXML private Node backupPage;
    @FXML private Node modePage;
    @FXML private Node preflightPage;
    @FXML private Node planPage;
    @FXML private Node confirmPage;
    @FXML private Node runPage;
    @FXML private Node verifyPage;
    @FXML private Node afterPage;
    @FXML private ComboBox<HostChoice> hostCombo;
    @FXML private ComboBox<InstanceChoice> instanceCombo;
    @FXML private ProgressIndicator readingIndicator;
    @FXML private ToggleGroup sourceGroup;
    @FXML private RadioButton localSourceRadio;
    @FXML private RadioButton resticSourceRadio;
    @FXML private RadioButton zfsSourceRadio;
    @FXML private Label zfsSourceWhy;
    @FXML private Label zfsSnapshotWords;
    @FXML private Label latestWords;
    @FXML private HBox afterActions;
    @FXML private Label instanceMessage;
    @FXML private Label windowText;
    @FXML private ToggleGroup targetGroup;
    @FXML private RadioButton latestRadio;
    @FXML private RadioButton timeRadio;
    @FXML private RadioButton xidRadio;
    @FXML private RadioButton nameRadio;
    @FXML private RadioButton lsnRadio;
    @FXML private RadioButton immediateRadio;
    @FXML private DatePicker targetDatePicker;
    @FXML private TextField targetTimeField;
    @FXML private TextField targetXidField;
    @FXML private ComboBox<String> targetNameCombo;
    @FXML private TextField targetLsnField;
    @FXML private ComboBox<Integer> timelineCombo;
    @FXML private Label targetWords;
    @FXML private Label targetMessage;
    @FXML private Label backupSource;
    @FXML private Label backupMessage;
    @FXML private TableView<BaseBackup> backupTable;
    @FXML private TableColumn<BaseBackup, String> backupLabelColumn;
    @FXML private TableColumn<BaseBackup, String> backupStartColumn;
    @FXML private TableColumn<BaseBackup, String> backupStopColumn;
    @FXML private TableColumn<BaseBackup, String> backupTimelineColumn;
    @FXML private TableColumn<BaseBackup, String> backupLsnColumn;
    @FXML private TableColumn<BaseBackup, String> backupSizeColumn;
    @FXML private ToggleGroup modeGroup;
    @FXML private RadioButton drillRadio;
    @FXML private RadioButton inPlaceRadio;
    @FXML private TextField scratchPortField;
    @FXML private CheckBox pauseAtTargetCheck;
    @FXML private Label pauseWords;
    @FXML private Label drillWords;
    @FXML private Label inPlaceWords;
    @FXML private TextArea verifySqlArea;
    @FXML private ComboBox<String> verifyDatabaseCombo;
    @FXML private Label modeMessage;
    @FXML private ProgressIndicator checkingIndicator;
    @FXML private Label checksMessage;
    @FXML private ListView<PreflightCheck> checksList;
    @FXML private CheckBox verifyArchivesCheck;
    @FXML private Button rerunChecksButton;
    @FXML private TextArea planArea;
    @FXML private Label copyMessage;
    @FXML private Label confirmWords;
    @FXML private HBox confirmBox;
    @FXML private Label confirmPrompt;
    @FXML private TextField confirmField;
    @FXML private Label runMessage;
    @FXML private Label progressText;
    @FXML private TableView<StepRow> stepsTable;
    @FXML private TableColumn<StepRow, String> stepNumberColumn;
    @FXML private TableColumn<StepRow, String> stepNameColumn;
    @FXML private TableColumn<StepRow, String> stepStateColumn;
    @FXML private TableColumn<StepRow, String> stepSecondsColumn;
    @FXML private TextArea logArea;
    @FXML private ProgressIndicator runningIndicator;
    @FXML private Button cancelRunButton;
    @FXML private Label resultTitle;
    @FXML private Label resultRecovery;
    @FXML private Label resultReached;
    @FXML private Label resultTimeline;
    @FXML private Label resultRto;
    @FXML private Label resultVerifySql;
    @FXML private TableView<List<String>> verifyTable;
    @FXML private TableView<StepRow> resultStepsTable;
    @FXML private TableColumn<StepRow, String> resultStepNameColumn;
    @FXML private TableColumn<StepRow, String> resultStepStateColumn;
    @FXML private TableColumn<StepRow, String> resultStepSecondsColumn;
    @FXML private Label resultAccount;
    @FXML private Label afterAdvice;
    @FXML private Label afterProblem;
    @FXML private Button swapBackButton;
    @FXML private Button baseBackupButton;
    @FXML private Button resumeButton;
    @FXML private Button promoteButton;
    @FXML private ProgressIndicator afterIndicator;
    @FXML private Label afterMessage;
    @FXML private Label drillLogText;
    @FXML private Button startOverButton;
    @FXML private Button backButton;
    @FXML private Button nextButton;

    public RestoreWizardController(RestoreWizardModel model) {
        this.model = model;
        this.run = model.run();
    }

    @FXML
    private void initialize() {
        var fromZfs = model.sourceProperty().isEqualTo(RestoreWizardModel.Source.ZFS);
        stepTitle.textProperty().bind(Bindings.createStringBinding(() -> "Restore — "
                + (model.stepProperty().get().ordinal() + 1) + " of " + Step.values().length + ": "
                + (fromZfs.get() && model.stepProperty().get() == Step.BACKUP ? "ZFS snapshot"
                : TITLES.get(model.stepProperty().get())), model.stepProperty(), fromZfs));
        stepHint.textProperty().bind(Bindings.createStringBinding(() -> fromZfs.get() ? ZFS_HINTS.getOrDefault(
                model.stepProperty().get(), HINTS.get(model.stepProperty().get())) : HINTS.get(model.stepProperty()
                .get()), model.stepProperty(), fromZfs));
        page(instancePage, Step.INSTANCE);
        page(targetPage, Step.TARGET);
        page(backupPage, Step.BACKUP);
        page(modePage, Step.MODE);
        page(preflightPage, Step.PREFLIGHT);
        page(planPage, Step.PLAN);
        page(confirmPage, Step.CONFIRM);
        page(runPage, Step.RUN);
        page(verifyPage, Step.VERIFY);
        page(afterPage, Step.AFTER);
        bindInstancePage();
        bindTargetPage();
        bindBackupPage();
        bindModePage();
        bindPreflightPage();
        bindPlanAndConfirmPages();
        bindRunPage();
        bindVerifyPage();
        bindAfterPage();

        backButton.disableProperty().bind(model.canGoBack().not());
        nextButton.disableProperty().bind(model.canGoNext().not());
        nextButton.textProperty().bind(Bindings.createStringBinding(() -> model.stepProperty().get() == Step.CONFIRM
                ? (model.modeProperty().get() == RestoreMode.DRILL ? "Run the drill" : "Run the restore") : "Next",
                model.stepProperty(), model.modeProperty()));
        model.loadHosts();
    }

    private void bindInstancePage() {
        hostCombo.setItems(model.hostChoices());
        hostCombo.valueProperty().bindBidirectional(model.hostProperty());
        instanceCombo.setItems(model.instanceChoices());
        instanceCombo.valueProperty().bindBidirectional(model.instanceProperty());
        readingIndicator.visibleProperty().bind(model.readingProperty());
        Map<RestoreWizardModel.Source, RadioButton> sources = new EnumMap<>(Map.of(
                RestoreWizardModel.Source.LOCAL, localSourceRadio, RestoreWizardModel.Source.RESTIC, resticSourceRadio,
                RestoreWizardModel.Source.ZFS, zfsSourceRadio));
        sources.get(model.sourceProperty().get()).setSelected(true);
        sourceGroup.selectedToggleProperty().addListener((obs, old, now) -> sources.forEach((source, radio) -> {
            if (radio == now) {
                model.sourceProperty().set(source);
            }
        }));
        model.sourceProperty().addListener((obs, old, source) -> sources.get(source).setSelected(true));
        localSourceRadio.disableProperty().bind(model.readingProperty());
        // a source the host cannot serve (restic or zfs not runnable there, as its profile runs them) is not offered
        resticSourceRadio.disableProperty().bind(model.readingProperty().or(model.resticUnavailableProperty()
                .isNotEmpty()));
        // shown where the host's profile has ZFS; elsewhere disabled, with the reason beneath
        zfsSourceRadio.disableProperty().bind(model.readingProperty().or(model.zfsUnavailableProperty().isNotEmpty()));
        zfsSourceWhy.textProperty().bind(Bindings.createStringBinding(() -> model.zfsUnavailableProperty().get()
                .isEmpty() ? "" : "Not offered for this host: " + model.zfsUnavailableProperty().get() + ".",
                model.zfsUnavailableProperty()));
        zfsSourceWhy.visibleProperty().bind(model.zfsUnavailableProperty().isNotEmpty());
        zfsSourceWhy.managedProperty().bind(zfsSourceWhy.visibleProperty());
        instanceMessage.textProperty().bind(model.instanceMessageProperty());
        model.instanceFailedProperty().addListener((obs, was, failed) -> style(instanceMessage, failed ? "error-text"
                : null));
    }

    private void bindTargetPage() {
        windowText.textProperty().bind(model.windowTextProperty());
        Map<RecoveryTarget.Kind, RadioButton> radios = new EnumMap<>(Map.of(RecoveryTarget.Kind.LATEST, latestRadio,
                RecoveryTarget.Kind.TIME, timeRadio, RecoveryTarget.Kind.XID, xidRadio, RecoveryTarget.Kind.NAME,
                nameRadio, RecoveryTarget.Kind.LSN, lsnRadio, RecoveryTarget.Kind.IMMEDIATE, immediateRadio));
        radios.get(model.targetKindProperty().get()).setSelected(true);
        targetGroup.selectedToggleProperty().addListener((obs, old, now) -> radios.forEach((kind, radio) -> {
            if (radio == now) {
                model.targetKindProperty().set(kind);
            }
        }));
        model.targetKindProperty().addListener((obs, old, kind) -> radios.get(kind).setSelected(true));
        targetDatePicker.valueProperty().bindBidirectional(model.targetDateProperty());
        targetTimeField.textProperty().bindBidirectional(model.targetClockProperty());
        targetXidField.textProperty().bindBidirectional(model.targetXidProperty());
        targetNameCombo.setItems(model.restorePoints());
        // the editor's text, so a typed name counts as the operator types it
        targetNameCombo.getEditor().textProperty().bindBidirectional(model.targetNameProperty());
        targetNameCombo.valueProperty().addListener((obs, old, now) -> {
            if (now != null) {
                model.targetNameProperty().set(now);
            }
        });
        targetLsnField.textProperty().bindBidirectional(model.targetLsnProperty());
        enableWith(timeRadio, targetDatePicker, targetTimeField);
        enableWith(xidRadio, targetXidField);
        enableWith(nameRadio, targetNameCombo);
        enableWith(lsnRadio, targetLsnField);
        // a ZFS snapshot is an image at one moment: only Latest and A time mean something
        var zfs = model.sourceProperty().isEqualTo(RestoreWizardModel.Source.ZFS);
        for (RadioButton r : List.of(xidRadio, nameRadio, lsnRadio, immediateRadio)) {
            r.disableProperty().bind(zfs);
        }
        timelineCombo.disableProperty().bind(zfs);
        latestWords.textProperty().bind(Bindings.when(zfs).then("now: the newest snapshot")
                .otherwise("the end of the WAL archive"));
        // choosing a field's value selects its kind
        targetNameCombo.setOnShowing(e -> nameRadio.setSelected(true));
        timelineCombo.setItems(model.timelines());
        timelineCombo.valueProperty().bindBidirectional(model.timelineProperty());
        targetWords.textProperty().bind(model.targetWordsProperty());
        targetMessage.textProperty().bind(model.targetMessageProperty());
        model.verdictProperty().addListener((obs, old, v) -> style(targetMessage, switch (v) {
            case REFUSED -> "error-text";
            case WARNED -> "warn-text";
            case VALID -> "ok-text";
            case NONE -> null;
        }));
    }

    private void bindBackupPage() {
        backupSource.textProperty().bind(Bindings.createStringBinding(() -> {
            var snapshot = model.zfsSnapshotProperty().get();
            if (model.sourceProperty().get() == RestoreWizardModel.Source.ZFS) {
                return snapshot == null ? "" : "Source: ZFS snapshot " + snapshot.fullName() + ", taken "
                        + RestoreTexts.time(snapshot.creation()) + ": the newest snapshot of "
                        + model.zfsStateProperty().get().dataset() + " at or before the target.";
            }
            var state = model.recoveryProperty().get();
            if (state == null) {
                return "";
            }
            return state.restic() != null ? "Source: restic. The base backup (snapshot " + state.restic().baseSnapshot()
                    + ") and the WAL archive (snapshot " + state.restic().walSnapshot() + ") are restored from the"
                    + " repository first, into a staging directory." : "Source: the local base backups in "
                    + state.baseBackups() + ", with the WAL archive " + state.walArchive() + ".";
        }, model.recoveryProperty(), model.sourceProperty(), model.zfsSnapshotProperty()));
        var zfs = model.sourceProperty().isEqualTo(RestoreWizardModel.Source.ZFS);
        backupMessage.textProperty().bind(Bindings.when(zfs).then("").otherwise(model.backupMessageProperty()));
        backupMessage.managedProperty().bind(backupMessage.textProperty().isNotEmpty());
        backupTable.visibleProperty().bind(zfs.not());
        backupTable.managedProperty().bind(backupTable.visibleProperty());
        zfsSnapshotWords.textProperty().bind(Bindings.createStringBinding(() -> {
            var snapshot = model.zfsSnapshotProperty().get();
            var t = model.targetProperty().get();
            if (!zfs.get() || snapshot == null || t == null) {
                return "";
            }
            return RestoreTexts.zfsTarget(snapshot, t.time().toInstant()) + " Commits between the snapshot and the"
                    + " target (" + RestoreTexts.minutes(snapshot.creation(), t.time().toInstant()) + ") are lost."
                    + " Before the clone the current state is snapshotted and the dataset renamed aside: nothing is"
                    + " destroyed (seed 002's zfs rollback -r would destroy it and every later snapshot).";
        }, zfs, model.zfsSnapshotProperty(), model.targetProperty()));
        zfsSnapshotWords.visibleProperty().bind(zfs);
        zfsSnapshotWords.managedProperty().bind(zfs);
        backupTable.setItems(model.backups());
        column(backupLabelColumn, BaseBackup::label);
        column(backupStartColumn, b -> b.startTime() == null ? "" : RestoreTexts.time(b.startTime().toInstant()));
        column(backupStopColumn, b -> b.stopTime() == null ? "" : RestoreTexts.time(b.stopTime().toInstant()));
        column(backupTimelineColumn, b -> Integer.toString(b.timeline()));
        column(backupLsnColumn, b -> String.valueOf(b.stopLsn()));
        column(backupSizeColumn, b -> dev.pgdeck.app.common.Formats.bytes(b.sizeBytes()));
        model.backupProperty().addListener((obs, old, now) -> {
            if (backupTable.getSelectionModel().getSelectedItem() != now) {
                backupTable.getSelectionModel().select(now);
            }
        });
        backupTable.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                model.backupProperty().set(now);
            }
        });
    }

    private void bindModePage() {
        (model.modeProperty().get() == RestoreMode.DRILL ? drillRadio : inPlaceRadio).setSelected(true);
        modeGroup.selectedToggleProperty().addListener((obs, old, now) ->
                model.modeProperty().set(now == inPlaceRadio ? RestoreMode.IN_PLACE : RestoreMode.DRILL));
        model.modeProperty().addListener((obs, old, mode) -> (mode == RestoreMode.DRILL ? drillRadio : inPlaceRadio)
                .setSelected(true));
        var zfs = model.sourceProperty().isEqualTo(RestoreWizardModel.Source.ZFS);
        drillRadio.disableProperty().bind(zfs);
        scratchPortField.textProperty().bindBidirectional(model.scratchPortProperty());
        scratchPortField.disableProperty().bind(inPlaceRadio.selectedProperty());
        drillWords.textProperty().bind(Bindings.createStringBinding(() -> zfs.get()
                ? "Not offered from a ZFS snapshot: its plan clones the snapshot in place of the instance's dataset;"
                + " a drill from ZFS (a clone at a scratch mountpoint) is not planned yet"
                : model.scratchPortNumber().isPresent() ? "archive_mode=off: nothing is written to the real archive"
                : "a port number from 1024 to 65535", model.scratchPortProperty(), zfs));
        inPlaceWords.textProperty().bind(Bindings.createStringBinding(() -> zfs.get()
                ? model.zfsStateProperty().get() == null ? "" : "The instance is stopped, its dataset "
                + model.zfsStateProperty().get().dataset() + " snapshotted and renamed aside (mounted at "
                + model.zfsStateProperty().get().dataDir() + ".pre-rollback-<timestamp>, never destroyed), and the"
                + " chosen snapshot cloned in its place; you type the instance's name before it runs."
                : model.recoveryProperty().get() == null
                ? "" : "The instance is stopped and " + model.recoveryProperty().get().dataDir()
                + " is moved to " + model.recoveryProperty().get().dataDir() + ".pre-restore-<timestamp> (never"
                + " deleted); you type the instance's name before it runs.", model.recoveryProperty(),
                model.zfsStateProperty(), zfs));
        verifySqlArea.textProperty().bindBidirectional(model.verifySqlProperty());
        verifyDatabaseCombo.setItems(model.verifyDatabases());
        verifyDatabaseCombo.valueProperty().bindBidirectional(model.verifyDatabaseProperty());
        pauseAtTargetCheck.selectedProperty().bindBidirectional(model.pauseAtTargetProperty());
        var canPause = Bindings.createBooleanBinding(model::canPauseAtTarget, model.modeProperty(),
                model.sourceProperty(), model.targetProperty());
        pauseAtTargetCheck.disableProperty().bind(canPause.not());
        pauseWords.textProperty().bind(Bindings.createStringBinding(() -> canPause.get()
                ? "recovery_target_action = 'pause': the instance stays read-only at the target (the verification"
                + " query runs on it); Promote on the last page ends recovery. A restart stops at the same target."
                : "Only in place, to a target other than latest.", canPause));
        modeMessage.textProperty().bind(model.modeMessageProperty());
    }

    private void bindPreflightPage() {
        checkingIndicator.visibleProperty().bind(model.checkingProperty());
        checkingIndicator.managedProperty().bind(checkingIndicator.visibleProperty());
        checksMessage.textProperty().bind(model.checksMessageProperty());
        checksList.setItems(model.checks());
        checksList.setCellFactory(list -> new CheckCell());
        checksList.setPlaceholder(new Label("Running the checks…"));
        verifyArchivesCheck.selectedProperty().bindBidirectional(model.verifyArchivesProperty());
        rerunChecksButton.disableProperty().bind(model.checkingProperty());
    }

    private void bindPlanAndConfirmPages() {
        planArea.textProperty().bind(model.planTextProperty());
        model.planTextProperty().addListener((obs, old, now) -> copyMessage.setText(""));
        confirmWords.textProperty().bind(Bindings.createStringBinding(() -> {
            var p = model.planProperty().get();
            if (p == null) {
                return "";
            }
            if (model.sourceProperty().get() == RestoreWizardModel.Source.ZFS) {
                return "The restore stops " + p.instance() + " on " + p.host() + ", snapshots its dataset and renames"
                        + " it aside, mounted at " + p.asideDir() + " (nothing is destroyed), and clones the "
                        + p.source() + " in its place: the instance comes back as it was at that snapshot, without"
                        + " archived WAL. Clients cannot use the instance until it has started.";
            }
            return p.mode() == RestoreMode.DRILL
                    ? "The drill restores " + p.instance() + " on " + p.host() + " to " + p.target().describe()
                    + " into the scratch directory " + p.workDir() + " on port " + p.port() + ", verifies it, then"
                    + " removes the scratch copy. The instance itself is not touched and nothing is written to its"
                    + " WAL archive. The result is recorded in pgdeck's drill log."
                    : "The restore stops " + p.instance() + " on " + p.host() + ", moves " + p.dataDir() + " to "
                    + p.asideDir() + " (it is not deleted) and recovers to " + p.target().describe() + " on timeline "
                    + p.timeline() + ". Clients cannot use the instance until it is promoted.";
        }, model.planProperty()));
        confirmBox.visibleProperty().bind(model.modeProperty().isEqualTo(RestoreMode.IN_PLACE));
        confirmBox.managedProperty().bind(confirmBox.visibleProperty());
        confirmPrompt.textProperty().bind(Bindings.createStringBinding(() -> model.connectionProperty().get() == null
                ? "" : "Type the instance's name (" + model.connectionProperty().get().instance() + ") to confirm:",
                model.connectionProperty()));
        confirmField.textProperty().bindBidirectional(model.confirmTextProperty());
    }

    private void bindRunPage() {
        runMessage.textProperty().bind(run.runMessageProperty());
        progressText.textProperty().bind(run.progressTextProperty());
        stepsTable.setItems(run.steps());
        column(stepNumberColumn, r -> Integer.toString(r.number()));
        column(stepNameColumn, StepRow::name);
        stepStateColumn.setCellValueFactory(c -> c.getValue().stateProperty());
        stepSecondsColumn.setCellValueFactory(c -> c.getValue().secondsProperty());
        run.log().addListener((ListChangeListener<String>) change -> {
            while (change.next()) {
                if (change.wasRemoved() && change.getList().isEmpty()) {
                    logArea.clear();
                }
                for (String line : change.getAddedSubList()) {
                    logArea.appendText(line + "\n");
                }
            }
        });
        runningIndicator.visibleProperty().bind(run.runningProperty());
        cancelRunButton.disableProperty().bind(run.runningProperty().not().or(run.cancelRequestedProperty()));
    }

    private void bindVerifyPage() {
        resultStepsTable.setItems(run.steps());
        column(resultStepNameColumn, r -> r.number() + ". " + r.name());
        resultStepStateColumn.setCellValueFactory(c -> c.getValue().stateProperty());
        resultStepSecondsColumn.setCellValueFactory(c -> c.getValue().secondsProperty());
        verifyTable.setItems(run.verifyRows());
        run.reportProperty().addListener((obs, old, report) -> showReport());
        run.finishedProperty().addListener((obs, old, finished) -> showReport());
    }

    /** The verification page from the report (or from the failure when there is none). */
    private void showReport() {
        var report = run.reportProperty().get();
        var plan = run.plan();
        if (report == null) {
            resultTitle.setText(run.finishedProperty().get() ? "The run stopped unexpectedly" : "");
            resultAccount.setText(run.runMessageProperty().get());
            style(resultTitle, "error-text");
            return;
        }
        boolean ok = report.succeeded() && report.reached();
        resultTitle.setText(OutcomeTexts.title(run, report));
        style(resultTitle, ok ? "ok-text" : "error-text");
        var progress = run.progress();
        resultRecovery.setText(OutcomeTexts.inRecovery(run));
        resultReached.setText(report.reached() ? "yes" + (progress.stoppingLine() == null ? " (end of the archive)"
                : " — " + progress.stoppingLine()) : "no" + (progress.problem() == null ? "" : " — "
                + progress.problem()));
        resultTimeline.setText(report.timeline() == null ? "—" : report.timeline() + (plan != null
                && report.timeline() != plan.timeline() ? " (new; recovered along timeline " + plan.timeline() + ")"
                : ""));
        resultRto.setText(report.rtoSeconds() == null ? "—" : String.format("%.1f s from the first step to the"
                + (run.pausedAtTarget() ? " pause at the target" : " server accepting writes"), report.rtoSeconds()));
        String sql = model.verifySqlProperty().get();
        resultVerifySql.setText(sql == null || sql.isBlank() ? "none given" : sql.strip());
        verifyTable.getColumns().clear();
        int width = report.verifyRows().stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < width; i++) {
            int index = i;
            TableColumn<List<String>, String> c = new TableColumn<>("column " + (i + 1));
            c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(index < cell.getValue().size()
                    ? cell.getValue().get(index) : "").getReadOnlyProperty());
            verifyTable.getColumns().add(c);
        }
        resultAccount.setText(report.account() + (report.mode() == RestoreMode.DRILL
                ? " The drill is recorded in pgdeck's drill log." : ""));
    }

    private void bindAfterPage() {
        afterMessage.textProperty().bind(run.afterMessageProperty());
        drillLogText.textProperty().bind(run.drillLogTextProperty());
        for (Label l : List.of(afterMessage, drillLogText, afterProblem)) {
            l.managedProperty().bind(l.textProperty().isNotEmpty());
        }
        afterIndicator.visibleProperty().bind(run.busyProperty());
        model.stepProperty().addListener((obs, old, step) -> {
            if (step == Step.AFTER) {
                showAfter();
            }
        });
        run.swappedBackProperty().addListener((obs, old, now) -> showAfter());
        run.leftRecoveryProperty().addListener((obs, old, now) -> showAfter());
        startOverButton.disableProperty().bind(run.busyProperty());
    }

    private void showAfter() {
        var plan = run.plan();
        boolean inPlace = plan != null && plan.mode() == RestoreMode.IN_PLACE;
        var progress = run.progress();
        afterAdvice.setText(OutcomeTexts.afterAdvice(run));
        afterProblem.setText(OutcomeTexts.afterProblem(run));
        style(afterProblem, run.pausedAtTarget() ? "warn-text" : "error-text"); // a pause asked for is no error
        boolean busy = run.busyProperty().get();
        show(swapBackButton, inPlace && run.canSwapBack());
        show(baseBackupButton, inPlace && run.promoted() && !run.swappedBackProperty().get());
        show(resumeButton, progress.paused() && !run.leftRecovery());
        show(promoteButton, progress.paused() && !run.leftRecovery());
        show(afterActions, swapBackButton.isVisible() || baseBackupButton.isVisible() || resumeButton.isVisible());
        swapBackButton.disableProperty().bind(run.busyProperty());
        baseBackupButton.disableProperty().bind(run.busyProperty());
        resumeButton.disableProperty().bind(run.busyProperty());
        promoteButton.disableProperty().bind(run.busyProperty());
        if (busy) {
            afterIndicator.setVisible(true);
        }
    }

    private static void show(Node node, boolean shown) {
        node.setVisible(shown);
        node.setManaged(shown);
    }

    private void page(Node page, Step step) {
        page.visibleProperty().bind(model.stepProperty().isEqualTo(step));
        page.managedProperty().bind(page.visibleProperty());
    }

    private static void enableWith(Toggle radio, Node... fields) {
        for (Node f : fields) {
            f.disableProperty().bind(((RadioButton) radio).selectedProperty().not());
        }
    }

    private static <T> void column(TableColumn<T, String> column, Function<T, String> value) {
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue()))
                .getReadOnlyProperty());
    }

    private static void style(Label label, String styleClass) {
        label.getStyleClass().removeAll("error-text", "warn-text", "ok-text");
        if (styleClass != null) {
            label.getStyleClass().add(styleClass);
        }
    }

    /** A check with its result: an icon, the name, the detail in words. */
    private static final class CheckCell extends ListCell<PreflightCheck> {
        @Override
        protected void updateItem(PreflightCheck check, boolean empty) {
            super.updateItem(check, empty);
            if (empty || check == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            Label icon = new Label(switch (check.status()) {
                case PASS -> "✔";
                case WARN -> "⚠";
                case FAIL -> "✖";
            });
            icon.getStyleClass().addAll("check-icon", switch (check.status()) {
                case PASS -> "ok-text";
                case WARN -> "warn-text";
                case FAIL -> "error-text";
            });
            icon.setMinWidth(22);
            Label name = new Label(check.name() + " — " + switch (check.status()) {
                case PASS -> "ok";
                case WARN -> "warning";
                case FAIL -> "failed";
            });
            name.getStyleClass().add("check-name");
            Label detail = new Label(check.detail());
            detail.setWrapText(true);
            detail.maxWidthProperty().bind(getListView().widthProperty().subtract(60));
            HBox row = new HBox(8, icon, new VBox(2, name, detail));
            setText(null);
            setGraphic(row);
        }
    }

    @FXML
    private void next() {
        model.next();
    }

    @FXML
    private void back() {
        model.back();
    }

    @FXML
    private void rerunChecks() {
        model.runChecks();
    }

    @FXML
    private void copyPlan() {
        ClipboardContent content = new ClipboardContent();
        content.putString(model.planTextProperty().get());
        Clipboard.getSystemClipboard().setContent(content);
        copyMessage.setText("Copied " + model.planTextProperty().get().lines().count() + " lines.");
    }

    @FXML
    private void cancelRun() {
        run.cancel();
    }

    @FXML
    private void swapBack() {
        var plan = run.plan();
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, "Stop " + plan.instance() + ", move the restored "
                + plan.dataDir() + " aside (kept, not deleted) and put " + plan.asideDir() + " back in its place?",
                ButtonType.OK, ButtonType.CANCEL);
        confirm.initOwner(swapBackButton.getScene().getWindow());
        confirm.setHeaderText("Swap back the replaced data of " + plan.instance());
        confirm.showAndWait().filter(ButtonType.OK::equals).ifPresent(b -> run.swapBack());
    }

    @FXML
    private void takeBaseBackup() {
        run.takeBaseBackup();
    }

    @FXML
    private void resumeReplay() {
        run.resumeReplay();
    }

    @FXML
    private void promote() {
        run.promote();
    }

    @FXML
    private void startOver() {
        model.startOver();
    }
}
