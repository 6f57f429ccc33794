package dev.pgdeck.app.charts;

import dev.pgdeck.remote.charts.Chart;
import dev.pgdeck.remote.charts.ChartData;
import dev.pgdeck.remote.charts.Interval;
import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.CategoryAxis;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.plugins.DataPointTooltip;
import io.fair_acc.chartfx.renderer.LineStyle;
import io.fair_acc.chartfx.renderer.spi.ErrorDataSetRenderer;
import io.fair_acc.dataset.utils.DataSetStyleBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.StackPane;

/** Binds the Charts tab to its view model; owns the two ChartFX charts (line for time, bars for categories). */
public final class ChartsController {
    private final ChartsViewModel viewModel;
    private final SaveDialog saveDialog;

    @FXML private ComboBox<Chart> chartPicker;
    @FXML private ComboBox<RangePreset> rangePicker;
    @FXML private DatePicker fromPicker;
    @FXML private DatePicker toPicker;
    @FXML private ComboBox<Interval> intervalPicker;
    @FXML private CheckBox compareBox;
    @FXML private Label figureLabel;
    @FXML private Label changeLabel;
    @FXML private ProgressIndicator chartBusy;
    @FXML private StackPane chartPane;
    @FXML private Button pngButton;
    @FXML private Button csvButton;
    @FXML private Label chartStatus;
    @FXML private TableView<ChartRow> valuesTable;
    @FXML private TableColumn<ChartRow, String> keyColumn;
    @FXML private TableColumn<ChartRow, String> valueColumn;
    @FXML private TableColumn<ChartRow, String> previousColumn;
    @FXML private TableColumn<ChartRow, String> changeColumn;

    private XYChart timeChart;
    private XYChart barChart;

    public ChartsController(ChartsViewModel viewModel, SaveDialog saveDialog) {
        this.viewModel = viewModel;
        this.saveDialog = saveDialog;
    }

    @FXML
    private void initialize() {
        chartPicker.setItems(FXCollections.observableArrayList(Chart.values()));
        chartPicker.valueProperty().bindBidirectional(viewModel.chartProperty());
        rangePicker.setItems(FXCollections.observableArrayList(RangePreset.values()));
        rangePicker.valueProperty().bindBidirectional(viewModel.presetProperty());
        fromPicker.valueProperty().bindBidirectional(viewModel.fromProperty());
        toPicker.valueProperty().bindBidirectional(viewModel.toProperty());
        intervalPicker.setItems(FXCollections.observableArrayList(Interval.values()));
        intervalPicker.valueProperty().bindBidirectional(viewModel.intervalProperty());
        intervalPicker.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> !viewModel.chartProperty().get().timeSeries(), viewModel.chartProperty()));
        compareBox.selectedProperty().bindBidirectional(viewModel.compareProperty());
        figureLabel.textProperty().bind(viewModel.figureProperty());
        changeLabel.textProperty().bind(viewModel.changeProperty());
        chartStatus.textProperty().bind(viewModel.statusProperty());
        chartBusy.visibleProperty().bind(viewModel.busyProperty());
        pngButton.disableProperty().bind(viewModel.dataProperty().isNull());
        csvButton.disableProperty().bind(viewModel.dataProperty().isNull());

        timeChart = buildTimeChart();
        barChart = buildBarChart();
        chartPane.getChildren().setAll(timeChart, barChart);
        viewModel.dataProperty().addListener((obs, old, data) -> showChart(data));
        showChart(null);

        valuesTable.setItems(viewModel.rows());
        column(keyColumn, ChartRow::key);
        column(valueColumn, ChartRow::value);
        column(previousColumn, ChartRow::previous);
        column(changeColumn, ChartRow::change);
        valuesTable.setRowFactory(table -> new IncompleteRow());
    }

    private XYChart buildTimeChart() {
        DefaultNumericAxis x = new DefaultNumericAxis("date");
        x.setTimeAxis(true);
        x.setAutoRangeRounding(false);
        DefaultNumericAxis y = new DefaultNumericAxis("value");
        y.setForceZeroInRange(true);
        XYChart chart = new XYChart(x, y);
        chart.setId("timeChart");
        chart.setLegendVisible(true);
        ErrorDataSetRenderer renderer = new ErrorDataSetRenderer();
        renderer.setPolyLineStyle(LineStyle.NORMAL);
        renderer.setErrorStyle(io.fair_acc.chartfx.renderer.ErrorStyle.NONE);
        renderer.setDrawMarker(true);
        viewModel.previousDataSet().setStyle(DataSetStyleBuilder.newInstance()
                .setColorIndex(2).setIntensity(40).setLineWidth(1.5).build());
        viewModel.completeDataSet().setStyle(DataSetStyleBuilder.newInstance()
                .setColorIndex(0).setLineWidth(2).build());
        viewModel.incompleteDataSet().setStyle(DataSetStyleBuilder.newInstance()
                .setColorIndex(0).setIntensity(55).setLineWidth(2).setLineDashes(6, 5).build());
        renderer.getDatasets().setAll(viewModel.previousDataSet(), viewModel.completeDataSet(),
                viewModel.incompleteDataSet());
        chart.getRenderers().setAll(renderer);
        chart.getPlugins().add(new DataPointTooltip());
        return chart;
    }

    private XYChart buildBarChart() {
        CategoryAxis x = new CategoryAxis("", viewModel.categories());
        DefaultNumericAxis y = new DefaultNumericAxis("value");
        y.setForceZeroInRange(true);
        XYChart chart = new XYChart(x, y);
        chart.setId("barChart");
        ErrorDataSetRenderer renderer = new ErrorDataSetRenderer();
        renderer.setPolyLineStyle(LineStyle.NONE);
        renderer.setErrorStyle(io.fair_acc.chartfx.renderer.ErrorStyle.NONE);
        renderer.setDrawMarker(false);
        renderer.setDrawBars(true);
        renderer.setShiftBar(true);
        renderer.setBarWidthPercentage(70);
        viewModel.previousBarsDataSet().setStyle(DataSetStyleBuilder.newInstance()
                .setColorIndex(2).setIntensity(40).build());
        renderer.getDatasets().setAll(viewModel.barsDataSet(), viewModel.previousBarsDataSet());
        chart.getRenderers().setAll(renderer);
        chart.getPlugins().add(new DataPointTooltip());
        return chart;
    }

    private void showChart(ChartData data) {
        boolean bars = data != null && !data.chart().timeSeries();
        barChart.setVisible(bars);
        timeChart.setVisible(!bars);
        XYChart shown = bars ? barChart : timeChart;
        if (data != null) {
            shown.setTitle(data.chart().title() + " · " + data.range()
                    + (data.chart().timeSeries() ? " · by " + data.interval() : ""));
            shown.getYAxis().setName(data.chart().title());
        }
    }

    /** The chart on show (the node the PNG export snapshots). */
    public XYChart visibleChart() {
        return barChart.isVisible() ? barChart : timeChart;
    }

    @FXML
    private void exportPng() {
        ChartData data = viewModel.dataProperty().get();
        Optional<Path> file = saveDialog.ask("Export chart as PNG", fileName(data) + ".png", "png");
        file.ifPresent(path -> run(() -> ChartExports.png(visibleChart(), path), path));
    }

    @FXML
    private void exportCsv() {
        ChartData data = viewModel.dataProperty().get();
        Optional<Path> file = saveDialog.ask("Export chart data as CSV", fileName(data) + ".csv", "csv");
        file.ifPresent(path -> run(() -> ChartExports.csv(data, path), path));
    }

    private interface Export {
        void write() throws IOException;
    }

    private void run(Export export, Path path) {
        try {
            export.write();
            viewModel.statusProperty().set("Saved " + path);
        } catch (IOException e) {
            viewModel.statusProperty().set("Could not save " + path + ": " + e.getMessage());
        }
    }

    private static String fileName(ChartData data) {
        return data.chart().cliName() + "-" + data.range().from() + "-" + data.range().to();
    }

    private static <S> void column(TableColumn<S, String> column, Function<S, String> value) {
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
    }

    /** The period not over yet stands out in the table as in the chart. */
    private static final class IncompleteRow extends TableRow<ChartRow> {
        @Override
        protected void updateItem(ChartRow item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().remove("incomplete-period");
            if (!empty && item != null && item.incomplete()) {
                getStyleClass().add("incomplete-period");
            }
        }
    }
}
