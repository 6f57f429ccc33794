package dev.pgdeck.app.ingest;

import dev.pgdeck.app.ingest.IngestWizardModel.PreviewRow;
import dev.pgdeck.app.ingest.IngestWizardModel.Range;
import dev.pgdeck.app.ingest.IngestWizardModel.Step;
import dev.pgdeck.remote.ingest.IngestSummary;
import dev.pgdeck.remote.ingest.QualityCheck;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;

/** Binds the wizard's pages to its {@link IngestWizardModel}; no state of its own. */
public final class IngestWizardController {
    private static final Map<Step, String> TITLES = Map.of(
            Step.CONNECTION, "Ingest PostHog events — 1 of 5: PostHog",
            Step.RANGE, "Ingest PostHog events — 2 of 5: range",
            Step.PREVIEW, "Ingest PostHog events — 3 of 5: preview",
            Step.RUN, "Ingest PostHog events — 4 of 5: run",
            Step.SUMMARY, "Ingest PostHog events — 5 of 5: summary");

    private final IngestWizardModel model;

    @FXML private Label stepTitle;
    @FXML private Node connectionPage;
    @FXML private Node rangePage;
    @FXML private Node previewPage;
    @FXML private Node runPage;
    @FXML private Node summaryPage;
    @FXML private TextField postHogUrlField;
    @FXML private TextField projectIdField;
    @FXML private TextField keyFileField;
    @FXML private PasswordField keyField;
    @FXML private CheckBox legacyApiCheck;
    @FXML private CheckBox keyringCheck;
    @FXML private Button testConnectionButton;
    @FXML private Label connectionMessage;
    @FXML private ToggleGroup rangeGroup;
    @FXML private RadioButton backfillRadio;
    @FXML private RadioButton watermarkRadio;
    @FXML private DatePicker sinceDatePicker;
    @FXML private Label targetLabel;
    @FXML private Label previewMessage;
    @FXML private TableView<PreviewRow> previewTable;
    @FXML private TableColumn<PreviewRow, String> previewTimeColumn;
    @FXML private TableColumn<PreviewRow, String> previewEventColumn;
    @FXML private TableColumn<PreviewRow, String> previewUserColumn;
    @FXML private TableColumn<PreviewRow, String> previewUrlColumn;
    @FXML private TableColumn<PreviewRow, String> previewUuidColumn;
    @FXML private ProgressBar runProgress;
    @FXML private Label runEvents;
    @FXML private Label runRate;
    @FXML private Label runEta;
    @FXML private Label runMessage;
    @FXML private Button pauseButton;
    @FXML private Button cancelRunButton;
    @FXML private Label summaryMessage;
    @FXML private Label summaryFetched;
    @FXML private Label summaryInserted;
    @FXML private Label summaryDuplicates;
    @FXML private Label summaryRejected;
    @FXML private Label summaryPages;
    @FXML private Label summarySeconds;
    @FXML private Label summaryWatermark;
    @FXML private TableView<QualityCheck> checksTable;
    @FXML private TableColumn<QualityCheck, String> checkNameColumn;
    @FXML private TableColumn<QualityCheck, String> checkPassedColumn;
    @FXML private TableColumn<QualityCheck, String> checkRowsColumn;
    @FXML private TableColumn<QualityCheck, String> checkDetailColumn;
    @FXML private Button backButton;
    @FXML private Button nextButton;

    public IngestWizardController(IngestWizardModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        stepTitle.textProperty().bind(Bindings.createStringBinding(() -> TITLES.get(model.stepProperty().get()),
                model.stepProperty()));
        page(connectionPage, Step.CONNECTION);
        page(rangePage, Step.RANGE);
        page(previewPage, Step.PREVIEW);
        page(runPage, Step.RUN);
        page(summaryPage, Step.SUMMARY);

        postHogUrlField.textProperty().bindBidirectional(model.postHogUrlProperty());
        projectIdField.textProperty().bindBidirectional(model.projectIdProperty());
        keyFileField.textProperty().bindBidirectional(model.keyFileProperty());
        keyField.textProperty().bindBidirectional(model.typedKeyProperty());
        legacyApiCheck.selectedProperty().bindBidirectional(model.legacyApiProperty());
        keyringCheck.selectedProperty().bindBidirectional(model.useKeyringProperty());
        testConnectionButton.disableProperty().bind(model.canTestConnection().not());
        connectionMessage.textProperty().bind(model.connectionMessageProperty());
        model.connectionFailedProperty().addListener((obs, was, failed) -> style(connectionMessage, failed));

        (model.rangeProperty().get() == Range.BACKFILL ? backfillRadio : watermarkRadio).setSelected(true);
        rangeGroup.selectedToggleProperty().addListener((obs, old, now) ->
                model.rangeProperty().set(now == watermarkRadio ? Range.WATERMARK : Range.BACKFILL));
        sinceDatePicker.valueProperty().bindBidirectional(model.sinceProperty());
        sinceDatePicker.disableProperty().bind(watermarkRadio.selectedProperty());
        targetLabel.setText("Events go into " + model.targetDescription() + ", web_analytics.posthog_events.");

        previewMessage.textProperty().bind(model.previewMessageProperty());
        previewTable.setItems(model.preview());
        column(previewTimeColumn, PreviewRow::time);
        column(previewEventColumn, PreviewRow::event);
        column(previewUserColumn, PreviewRow::distinctId);
        column(previewUrlColumn, PreviewRow::url);
        column(previewUuidColumn, PreviewRow::uuid);

        runProgress.progressProperty().bind(model.runProgressProperty());
        runEvents.textProperty().bind(model.runEventsProperty());
        runRate.textProperty().bind(model.runRateProperty());
        runEta.textProperty().bind(model.runEtaProperty());
        runMessage.textProperty().bind(model.runMessageProperty());
        pauseButton.textProperty().bind(Bindings.when(model.pausedProperty()).then("Resume").otherwise("Pause"));
        pauseButton.disableProperty().bind(model.runningProperty().not());
        cancelRunButton.disableProperty().bind(model.runningProperty().not());

        summaryMessage.textProperty().bind(model.summaryMessageProperty());
        figure(summaryFetched, s -> String.format("%,d", s.fetched()));
        figure(summaryInserted, s -> String.format("%,d", s.inserted()));
        figure(summaryDuplicates, s -> String.format("%,d", s.duplicates()));
        figure(summaryRejected, s -> String.format("%,d", s.rejected()));
        figure(summaryPages, s -> Integer.toString(s.pages()));
        figure(summarySeconds, s -> String.format("%.1f s (%,.0f events/s)", s.seconds(),
                s.seconds() > 0 ? s.fetched() / s.seconds() : 0.0));
        figure(summaryWatermark, s -> s.watermark() == null ? "none yet" : s.watermark().toString());
        checksTable.setItems(model.checks());
        column(checkNameColumn, QualityCheck::name);
        column(checkPassedColumn, c -> c.passed() ? "passed" : "FAILED");
        column(checkRowsColumn, c -> Long.toString(c.failingRows()));
        column(checkDetailColumn, c -> c.detail() == null ? "" : c.detail());

        backButton.disableProperty().bind(model.canGoBack().not());
        backButton.textProperty().bind(Bindings.when(model.stepProperty().isEqualTo(Step.SUMMARY))
                .then("Another run").otherwise("Back"));
        nextButton.disableProperty().bind(model.canGoNext().not());
        nextButton.textProperty().bind(Bindings.when(model.stepProperty().isEqualTo(Step.PREVIEW))
                .then("Start ingest").otherwise("Next"));
    }

    private void page(Node page, Step step) {
        page.visibleProperty().bind(model.stepProperty().isEqualTo(step));
        page.managedProperty().bind(page.visibleProperty());
    }

    private void figure(Label label, Function<IngestSummary, String> text) {
        label.textProperty().bind(Bindings.createStringBinding(() -> {
            IngestSummary s = model.summaryProperty().get();
            return s == null ? "—" : text.apply(s);
        }, model.summaryProperty()));
    }

    private static <T> void column(TableColumn<T, String> column, Function<T, String> value) {
        column.setCellValueFactory(cell -> (ObservableValue<String>) new ReadOnlyStringWrapper(
                value.apply(cell.getValue())).getReadOnlyProperty());
    }

    private static void style(Label label, boolean error) {
        label.getStyleClass().remove("error-text");
        if (error) {
            label.getStyleClass().add("error-text");
        }
    }

    @FXML
    private void testConnection() {
        model.testConnection();
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
    private void togglePause() {
        model.togglePause();
    }

    @FXML
    private void cancelRun() {
        model.cancelRun();
    }
}
