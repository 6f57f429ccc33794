package dev.pgdeck.app.charts;

import dev.pgdeck.app.common.TaskRunner;
import dev.pgdeck.remote.charts.Chart;
import dev.pgdeck.remote.charts.ChartData;
import dev.pgdeck.remote.charts.ChartPoint;
import dev.pgdeck.remote.charts.ChartQueries;
import dev.pgdeck.remote.charts.DateRange;
import dev.pgdeck.remote.charts.Interval;
import io.fair_acc.dataset.events.ChartBits;
import io.fair_acc.dataset.spi.DoubleDataSet;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * State of the Charts tab: what to chart (chart, range, interval, compare), the data sets the chart draws, the table
 * rows and the figure. Loads off the FX thread: the data sets are filled on the worker under their write lock and
 * then invalidated (ChartFX redraws on its pulse); properties and lists change on the FX thread only.
 */
public final class ChartsViewModel {
    private final AnalyticsSource source;
    private final TaskRunner tasks;

    private final ObjectProperty<Chart> chart = new SimpleObjectProperty<>(Chart.DAU);
    private final ObjectProperty<RangePreset> preset = new SimpleObjectProperty<>(RangePreset.LAST_30);
    private final ObjectProperty<LocalDate> from = new SimpleObjectProperty<>();
    private final ObjectProperty<LocalDate> to = new SimpleObjectProperty<>();
    private final ObjectProperty<Interval> interval = new SimpleObjectProperty<>(Interval.DAY);
    private final BooleanProperty compare = new SimpleBooleanProperty(false);

    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty status = new SimpleStringProperty("Waiting for the analytics warehouse…");
    private final StringProperty figure = new SimpleStringProperty("");
    private final StringProperty change = new SimpleStringProperty("");
    private final ReadOnlyObjectWrapper<ChartData> data = new ReadOnlyObjectWrapper<>();
    private final ObservableList<ChartRow> rows = FXCollections.observableArrayList();
    private final ObservableList<String> categories = FXCollections.observableArrayList();

    /** Time series: finished periods (solid), the period not over yet (dashed), the previous period (light). */
    private final DoubleDataSet complete = new DoubleDataSet("complete");
    private final DoubleDataSet incomplete = new DoubleDataSet("incomplete (period not over)");
    private final DoubleDataSet previous = new DoubleDataSet("previous period");
    /** Bars: x is the category's index. */
    private final DoubleDataSet bars = new DoubleDataSet("range");
    private final DoubleDataSet previousBars = new DoubleDataSet("previous period");

    private final AtomicLong generation = new AtomicLong();
    private volatile ChartQueries queries;
    private TaskRunner.Cancellable current;
    private boolean suspended;

    public ChartsViewModel(AnalyticsSource source, TaskRunner tasks) {
        this.source = source;
        this.tasks = tasks;
        chart.addListener((o, a, b) -> load());
        interval.addListener((o, a, b) -> load());
        compare.addListener((o, a, b) -> load());
        from.addListener((o, a, b) -> rangeEdited());
        to.addListener((o, a, b) -> rangeEdited());
        preset.addListener((o, a, p) -> {
            if (p != RangePreset.CUSTOM) {
                applyPreset(p);
            }
        });
    }

    /** First load: waits for the warehouse (the sandbox may still be starting), then charts the default. */
    public void start() {
        load();
    }

    /** Sets several inputs and loads once. */
    public void select(Chart newChart, DateRange range, Interval newInterval, boolean newCompare) {
        suspended = true;
        try {
            chart.set(newChart);
            preset.set(RangePreset.CUSTOM);
            from.set(range.from());
            to.set(range.to());
            interval.set(newInterval);
            compare.set(newCompare);
        } finally {
            suspended = false;
        }
        load();
    }

    private void applyPreset(RangePreset p) {
        LocalDate today = queries != null ? queries.today() : LocalDate.now(ZoneOffset.UTC);
        DateRange range = DateRange.lastDays(p.days(), today);
        boolean was = suspended;
        suspended = true;
        try {
            from.set(range.from());
            to.set(range.to());
        } finally {
            suspended = was;
        }
        load();
    }

    private void rangeEdited() {
        if (!suspended) {
            preset.set(RangePreset.CUSTOM);
            load();
        }
    }

    /** The range the inputs describe. */
    public DateRange range() {
        if (preset.get() != RangePreset.CUSTOM || from.get() == null || to.get() == null) {
            LocalDate today = queries != null ? queries.today() : LocalDate.now(ZoneOffset.UTC);
            RangePreset p = preset.get() == RangePreset.CUSTOM ? RangePreset.LAST_30 : preset.get();
            return DateRange.lastDays(p.days(), today);
        }
        return new DateRange(from.get(), to.get());
    }

    public void load() {
        if (suspended) {
            return;
        }
        if (from.get() != null && to.get() != null && to.get().isBefore(from.get())) {
            status.set("The range ends before it starts.");
            return;
        }
        if (current != null) {
            current.cancel();
        }
        long id = generation.incrementAndGet();
        Chart what = chart.get();
        Interval every = interval.get();
        boolean withPrevious = compare.get();
        busy.set(true);
        status.set("Loading " + what.title().toLowerCase(Locale.ROOT) + "…");
        // Read the inputs here, on the FX thread; the worker only sees these copies.
        RangePreset chosen = preset.get();
        DateRange custom = chosen == RangePreset.CUSTOM ? range() : null;
        current = tasks.run("chart", () -> {
            if (queries == null) {
                queries = source.queries();
            }
            // A preset counts back from today as the warehouse's clock says (known once connected).
            DateRange range = custom != null ? custom : DateRange.lastDays(chosen.days(), queries.today());
            ChartData loaded = queries.load(what, range, every, withPrevious);
            if (generation.get() == id) {
                fill(loaded);
            }
            return loaded;
        }, loaded -> show(id, loaded), error -> fail(id, error));
    }

    /** Fills the data sets: on the worker thread, each under its write lock, then tells ChartFX they changed. */
    private void fill(ChartData loaded) {
        List<ChartPoint> points = loaded.current().points();
        if (loaded.chart().timeSeries()) {
            List<double[]> solid = new ArrayList<>();
            List<double[]> dashed = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                ChartPoint p = points.get(i);
                double[] xy = {seconds(p.date()), p.value()};
                if (p.incomplete()) {
                    // Starts at the last finished point, so the dashed line continues the solid one.
                    if (dashed.isEmpty() && i > 0 && !points.get(i - 1).incomplete()) {
                        dashed.add(new double[] {seconds(points.get(i - 1).date()), points.get(i - 1).value()});
                    }
                    dashed.add(xy);
                } else {
                    solid.add(xy);
                }
            }
            List<double[]> before = new ArrayList<>();
            if (loaded.compared()) {
                // The previous period drawn over this one: shifted by the range's length.
                long shift = loaded.range().days() * 86_400L;
                for (ChartPoint p : loaded.previous().points()) {
                    before.add(new double[] {seconds(p.date()) + shift, p.value()});
                }
            }
            replace(complete, solid);
            replace(incomplete, dashed);
            replace(previous, before);
            replace(bars, List.of());
            replace(previousBars, List.of());
        } else {
            List<double[]> now = new ArrayList<>();
            List<double[]> then = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                now.add(new double[] {i, points.get(i).value()});
                if (loaded.compared()) {
                    then.add(new double[] {i, loaded.previous().points().get(i).value()});
                }
            }
            replace(bars, now);
            replace(previousBars, then);
            replace(complete, List.of());
            replace(incomplete, List.of());
            replace(previous, List.of());
        }
    }

    private static void replace(DoubleDataSet dataSet, List<double[]> xy) {
        double[] x = new double[xy.size()];
        double[] y = new double[xy.size()];
        for (int i = 0; i < xy.size(); i++) {
            x[i] = xy.get(i)[0];
            y[i] = xy.get(i)[1];
        }
        dataSet.lock().writeLockGuard(() -> {
            dataSet.set(x, y, true);
        });
        dataSet.fireInvalidated(ChartBits.DataSetData);
    }

    static double seconds(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    private void show(long id, ChartData loaded) {
        if (id != generation.get()) {
            return;
        }
        busy.set(false);
        if (preset.get() != RangePreset.CUSTOM) {
            suspended = true;
            try {
                from.set(loaded.range().from());
                to.set(loaded.range().to());
            } finally {
                suspended = false;
            }
        }
        if (!loaded.chart().timeSeries()) {
            categories.setAll(loaded.current().points().stream().map(ChartPoint::category).toList());
        }
        List<ChartRow> table = new ArrayList<>();
        List<ChartPoint> points = loaded.current().points();
        for (int i = 0; i < points.size(); i++) {
            ChartPoint p = points.get(i);
            String before = "";
            String delta = "";
            if (loaded.compared() && i < loaded.previous().points().size()) {
                double v = loaded.previous().points().get(i).value();
                before = number(v);
                delta = v == 0 ? "" : percent((p.value() - v) / v * 100);
            }
            table.add(new ChartRow(p.key(), number(p.value()) + (p.incomplete() ? " *" : ""), before, delta,
                    p.incomplete()));
        }
        rows.setAll(table);
        String unit = loaded.chart().kind() == Chart.Kind.USERS ? " on average" : " in total";
        figure.set(number(loaded.figure()) + unit);
        if (loaded.compared()) {
            Double pct = loaded.percentChange();
            change.set("previous period " + number(loaded.previousFigure())
                    + (pct == null ? "" : " · " + percent(pct)));
        } else {
            change.set("");
        }
        boolean open = loaded.current().incomplete();
        status.set(loaded.chart().title() + ", " + loaded.range() + " by " + loaded.interval()
                + " · " + points.size() + " points · query " + loaded.queryTime().toMillis() + " ms"
                + (open ? " · * period not over yet (dashed)" : ""));
        data.set(loaded);
    }

    private void fail(long id, Throwable error) {
        if (id != generation.get()) {
            return;
        }
        busy.set(false);
        status.set("Could not load the chart: " + (error.getMessage() == null ? error : error.getMessage()));
    }

    static String number(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%,d", (long) value)
                : String.format(Locale.ROOT, "%,.1f", value);
    }

    static String percent(double pct) {
        return String.format(Locale.ROOT, "%+.1f %%", pct);
    }

    public ObjectProperty<Chart> chartProperty() {
        return chart;
    }

    public ObjectProperty<RangePreset> presetProperty() {
        return preset;
    }

    public ObjectProperty<LocalDate> fromProperty() {
        return from;
    }

    public ObjectProperty<LocalDate> toProperty() {
        return to;
    }

    public ObjectProperty<Interval> intervalProperty() {
        return interval;
    }

    public BooleanProperty compareProperty() {
        return compare;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public StringProperty figureProperty() {
        return figure;
    }

    public StringProperty changeProperty() {
        return change;
    }

    /** The data last shown (null before the first load). */
    public ReadOnlyObjectProperty<ChartData> dataProperty() {
        return data.getReadOnlyProperty();
    }

    public ObservableList<ChartRow> rows() {
        return rows;
    }

    public ObservableList<String> categories() {
        return categories;
    }

    public DoubleDataSet completeDataSet() {
        return complete;
    }

    public DoubleDataSet incompleteDataSet() {
        return incomplete;
    }

    public DoubleDataSet previousDataSet() {
        return previous;
    }

    public DoubleDataSet barsDataSet() {
        return bars;
    }

    public DoubleDataSet previousBarsDataSet() {
        return previousBars;
    }
}
