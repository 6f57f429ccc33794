package dev.pgdeck.app.sql;

import dev.pgdeck.app.charts.ChartExports;
import dev.pgdeck.app.charts.SaveDialog;
import dev.pgdeck.remote.charts.AdHocCsv;
import dev.pgdeck.remote.charts.AdHocResult;
import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.CategoryAxis;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.plugins.DataPointTooltip;
import io.fair_acc.chartfx.renderer.ErrorStyle;
import io.fair_acc.chartfx.renderer.LineStyle;
import io.fair_acc.chartfx.renderer.spi.ErrorDataSetRenderer;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.StackPane;

/** Binds the SQL editor (in the Charts tab) to its view model; owns its two ChartFX charts (x numeric/time, x text). */
public final class SqlEditorController {
    private final SqlEditorViewModel viewModel;
    private final SaveDialog saveDialog;

    @FXML private TextArea sqlText;
    @FXML private Button sqlRun;
    @FXML private Button sqlCancel;
    @FXML private ProgressIndicator sqlBusy;
    @FXML private ComboBox<String> sqlXColumn;
    @FXML private ComboBox<String> sqlYColumn;
    @FXML private ComboBox<SqlChartKind> sqlKind;
    @FXML private Button sqlPng;
    @FXML private Button sqlCsv;
    @FXML private StackPane sqlChartPane;
    @FXML private TableView<List<Object>> sqlTable;
    @FXML private Label sqlStatus;

    private XYChart numericChart;
    private XYChart categoryChart;
    private DefaultNumericAxis numericX;
    private final List<ErrorDataSetRenderer> renderers = new java.util.ArrayList<>();

    public SqlEditorController(SqlEditorViewModel viewModel, SaveDialog saveDialog) {
        this.viewModel = viewModel;
        this.saveDialog = saveDialog;
    }

    @FXML
    private void initialize() {
        sqlText.textProperty().bindBidirectional(viewModel.sqlProperty());
        sqlRun.disableProperty().bind(viewModel.runningProperty());
        sqlCancel.disableProperty().bind(viewModel.runningProperty().not());
        sqlBusy.visibleProperty().bind(viewModel.runningProperty());
        sqlStatus.textProperty().bind(viewModel.statusProperty());
        sqlXColumn.setItems(viewModel.columns());
        sqlYColumn.setItems(viewModel.columns());
        sqlXColumn.valueProperty().bindBidirectional(viewModel.xColumnProperty());
        sqlYColumn.valueProperty().bindBidirectional(viewModel.yColumnProperty());
        sqlKind.setItems(FXCollections.observableArrayList(SqlChartKind.values()));
        sqlKind.valueProperty().bindBidirectional(viewModel.kindProperty());
        sqlPng.disableProperty().bind(viewModel.resultProperty().isNull());
        sqlCsv.disableProperty().bind(viewModel.resultProperty().isNull());

        numericX = new DefaultNumericAxis("x");
        numericX.setAutoRangeRounding(false);
        numericChart = chart(numericX, "sqlNumericChart");
        categoryChart = chart(new CategoryAxis("x", viewModel.categories()), "sqlCategoryChart");
        sqlChartPane.getChildren().setAll(numericChart, categoryChart);
        viewModel.kindProperty().addListener((o, a, k) -> style(k));
        viewModel.xKindProperty().addListener((o, a, k) -> showAxis());
        viewModel.xColumnProperty().addListener((o, a, k) -> showAxis());
        viewModel.yColumnProperty().addListener((o, a, k) -> showAxis());
        style(viewModel.kindProperty().get());
        showAxis();

        viewModel.resultProperty().addListener((o, a, r) -> showRows(r));
    }

    private XYChart chart(io.fair_acc.chartfx.axes.Axis x, String id) {
        DefaultNumericAxis y = new DefaultNumericAxis("y");
        y.setForceZeroInRange(true);
        XYChart chart = new XYChart(x, y);
        chart.setId(id);
        chart.setLegendVisible(false);
        ErrorDataSetRenderer renderer = new ErrorDataSetRenderer();
        renderer.setErrorStyle(ErrorStyle.NONE);
        renderer.setShiftBar(false);
        renderer.setBarWidthPercentage(70);
        renderer.getDatasets().setAll(viewModel.points());
        chart.getRenderers().setAll(renderer);
        chart.getPlugins().add(new DataPointTooltip());
        renderers.add(renderer);
        return chart;
    }

    private void style(SqlChartKind kind) {
        boolean bars = kind == SqlChartKind.BAR;
        for (ErrorDataSetRenderer r : renderers) {
            r.setPolyLineStyle(bars ? LineStyle.NONE : LineStyle.NORMAL);
            r.setDrawBars(bars);
            r.setDrawMarker(!bars);
        }
        numericChart.invalidate();
        categoryChart.invalidate();
    }

    private void showAxis() {
        SqlEditorViewModel.XKind x = viewModel.xKindProperty().get();
        boolean categories = x == SqlEditorViewModel.XKind.CATEGORY;
        categoryChart.setVisible(categories);
        numericChart.setVisible(!categories);
        numericX.setTimeAxis(x == SqlEditorViewModel.XKind.TIME);
        XYChart shown = visibleChart();
        String xName = viewModel.xColumnProperty().get() == null ? "x" : viewModel.xColumnProperty().get();
        String yName = viewModel.yColumnProperty().get() == null ? "y" : viewModel.yColumnProperty().get();
        shown.getXAxis().setName(xName);
        shown.getYAxis().setName(yName);
        shown.setTitle(yName + " by " + xName);
    }

    /** The chart on show (what Export PNG snapshots). */
    public XYChart visibleChart() {
        return categoryChart.isVisible() ? categoryChart : numericChart;
    }

    private void showRows(AdHocResult r) {
        sqlTable.getColumns().clear();
        if (r == null) {
            sqlTable.getItems().clear();
            return;
        }
        for (int i = 0; i < r.columns().size(); i++) {
            final int c = i;
            TableColumn<List<Object>, String> column = new TableColumn<>(r.columns().get(i));
            column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(
                    cell.getValue().get(c) == null ? "" : String.valueOf(cell.getValue().get(c))));
            column.setSortable(false);
            sqlTable.getColumns().add(column);
        }
        sqlTable.setItems(FXCollections.observableArrayList(r.rows()));
    }

    @FXML
    private void run() {
        viewModel.run();
    }

    @FXML
    private void cancel() {
        viewModel.cancel();
    }

    @FXML
    private void exportPng() {
        saveDialog.ask("Export query chart as PNG", "query.png", "png").ifPresent(path -> save(path, () ->
                ChartExports.png(visibleChart(), path)));
    }

    @FXML
    private void exportCsv() {
        AdHocResult r = viewModel.resultProperty().get();
        saveDialog.ask("Export query result as CSV", "query.csv", "csv").ifPresent(path -> save(path, () -> {
            try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
                AdHocCsv.write(r, out);
            }
        }));
    }

    private interface Export {
        void write() throws IOException;
    }

    private void save(Path path, Export export) {
        try {
            export.write();
            viewModel.statusProperty().set("Saved " + path);
        } catch (IOException e) {
            viewModel.statusProperty().set("Could not save " + path + ": " + e.getMessage());
        }
    }
}
