package dev.pgdeck.app.sql;

import dev.pgdeck.app.charts.AnalyticsSource;
import dev.pgdeck.app.common.TaskRunner;
import dev.pgdeck.remote.charts.AdHocQuery;
import dev.pgdeck.remote.charts.AdHocResult;
import io.fair_acc.dataset.events.ChartBits;
import io.fair_acc.dataset.spi.DoubleDataSet;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * The ad hoc SQL editor of the Charts tab: runs the analyst's SQL on the read-only analytics pool on a worker thread,
 * cancels it on the server, and charts two of its columns (x, y) as a line or bars. Properties change on the FX
 * thread only; the cancel request (a socket to the server) goes out on a worker.
 */
public final class SqlEditorViewModel {
    /** How the x column is drawn: dates on a time axis, numbers on a numeric one, anything else as categories. */
    public enum XKind { TIME, NUMBER, CATEGORY }

    private static final int CANCEL_ATTEMPTS = 20;

    private final AnalyticsSource source;
    private final TaskRunner tasks;

    private final StringProperty sql = new SimpleStringProperty(
            "SELECT day, active_users\nFROM web_analytics.mart_daily_active_users\nORDER BY day");
    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final StringProperty status = new SimpleStringProperty("");
    private final ReadOnlyObjectWrapper<AdHocResult> result = new ReadOnlyObjectWrapper<>();
    private final ObservableList<String> columns = FXCollections.observableArrayList();
    private final ObjectProperty<String> xColumn = new SimpleObjectProperty<>();
    private final ObjectProperty<String> yColumn = new SimpleObjectProperty<>();
    private final ObjectProperty<SqlChartKind> kind = new SimpleObjectProperty<>(SqlChartKind.LINE);
    private final ReadOnlyObjectWrapper<XKind> xKind = new ReadOnlyObjectWrapper<>(XKind.CATEGORY);
    private final ObservableList<String> categories = FXCollections.observableArrayList();
    private final DoubleDataSet points = new DoubleDataSet("result");

    private final AtomicLong generation = new AtomicLong();
    private volatile AdHocQuery query;
    private volatile boolean cancelRequested;
    /** Counted down when the current run ends; cancel attempts wait on it between tries. */
    private volatile CountDownLatch runEnded = new CountDownLatch(0);

    public SqlEditorViewModel(AnalyticsSource source, TaskRunner tasks) {
        this.source = source;
        this.tasks = tasks;
        xColumn.addListener((o, a, b) -> plot());
        yColumn.addListener((o, a, b) -> plot());
    }

    /** Runs the editor's SQL (unless a run is under way). FX thread. */
    public void run() {
        if (running.get()) {
            return;
        }
        String text = sql.get() == null ? "" : sql.get().strip();
        if (text.isEmpty()) {
            status.set("Nothing to run.");
            return;
        }
        long id = generation.incrementAndGet();
        cancelRequested = false;
        CountDownLatch ended = new CountDownLatch(1);
        runEnded = ended;
        query = null;
        running.set(true);
        status.set("Running…");
        long started = System.nanoTime();
        tasks.run("sql", () -> {
            try {
                AdHocQuery q = source.queries().adHoc(text);
                query = q;
                if (cancelRequested) {
                    throw new CancellationException("cancelled");
                }
                return q.run();
            } finally {
                ended.countDown();
            }
        }, loaded -> show(id, loaded, (System.nanoTime() - started) / 1_000_000), error -> fail(id, error));
    }

    /** Cancels the running SQL on the server. FX thread; the request itself goes out on a worker. */
    public void cancel() {
        if (!running.get()) {
            return;
        }
        cancelRequested = true;
        status.set("Cancelling…");
        tasks.run("sql-cancel", () -> {
            // The driver ignores a cancel that arrives before the statement reached the server: repeat until the
            // run ends (each attempt is one cancel request; the server cancels whatever the backend is running).
            CountDownLatch ended = runEnded;
            for (int i = 0; i < CANCEL_ATTEMPTS && ended.getCount() > 0; i++) {
                AdHocQuery q = query;
                if (q != null) {
                    q.cancel();
                }
                if (ended.await(250, TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
            return null;
        }, done -> { }, error -> status.set("Could not cancel: " + error.getMessage()));
    }

    private void show(long id, AdHocResult loaded, long millis) {
        if (id != generation.get()) {
            return;
        }
        running.set(false);
        result.set(loaded);
        String rows = loaded.rowsInWords();
        status.set(Character.toUpperCase(rows.charAt(0)) + rows.substring(1) + " in " + millis + " ms");
        String x = xColumn.get();
        String y = yColumn.get();
        columns.setAll(loaded.columns());
        // Keep the chosen columns when the new result has them; otherwise the first column against the first numeric.
        if (x == null || !loaded.columns().contains(x)) {
            x = loaded.columns().isEmpty() ? null : loaded.columns().get(0);
        }
        if (y == null || !loaded.columns().contains(y) || y.equals(x)) {
            y = firstNumeric(loaded, x);
        }
        xColumn.set(x);
        yColumn.set(y);
        plot();
    }

    private void fail(long id, Throwable error) {
        if (id != generation.get()) {
            return;
        }
        running.set(false);
        status.set(cancelRequested && error instanceof CancellationException ? "cancelled" : AdHocQuery.describe(error));
    }

    private static String firstNumeric(AdHocResult r, String x) {
        for (int c = 0; c < r.columns().size(); c++) {
            if (r.columns().get(c).equals(x)) {
                continue;
            }
            final int column = c;
            if (!r.rows().isEmpty() && r.rows().stream().allMatch(row -> row.get(column) == null
                    || row.get(column) instanceof Number)) {
                return r.columns().get(c);
            }
        }
        return r.columns().size() > 1 ? r.columns().get(1) : null;
    }

    /** Fills the data set from the chosen columns: rows whose y is not a number are left out. FX thread. */
    private void plot() {
        AdHocResult r = result.get();
        int xi = r == null || xColumn.get() == null ? -1 : r.columns().indexOf(xColumn.get());
        int yi = r == null || yColumn.get() == null ? -1 : r.columns().indexOf(yColumn.get());
        List<double[]> xy = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        XKind mode = XKind.CATEGORY;
        if (xi >= 0 && yi >= 0) {
            mode = xKind(r, xi);
            for (List<Object> row : r.rows()) {
                if (!(row.get(yi) instanceof Number y)) {
                    continue;
                }
                Object x = row.get(xi);
                double xv = switch (mode) {
                    case TIME -> x instanceof LocalDate d ? d.atStartOfDay(ZoneOffset.UTC).toEpochSecond()
                            : ((LocalDateTime) x).toEpochSecond(ZoneOffset.UTC);
                    case NUMBER -> ((Number) x).doubleValue();
                    case CATEGORY -> labels.size();
                };
                if (mode == XKind.CATEGORY) {
                    labels.add(String.valueOf(x));
                }
                xy.add(new double[] {xv, y.doubleValue()});
            }
        }
        xKind.set(mode);
        categories.setAll(labels);
        double[] xs = new double[xy.size()];
        double[] ys = new double[xy.size()];
        for (int i = 0; i < xy.size(); i++) {
            xs[i] = xy.get(i)[0];
            ys[i] = xy.get(i)[1];
        }
        points.lock().writeLockGuard(() -> {
            points.set(xs, ys, true);
        });
        points.setName(yColumn.get() == null ? "result" : yColumn.get());
        points.fireInvalidated(ChartBits.DataSetData);
    }

    private static XKind xKind(AdHocResult r, int column) {
        boolean time = true;
        boolean number = true;
        for (List<Object> row : r.rows()) {
            Object v = row.get(column);
            time &= v instanceof LocalDate || v instanceof LocalDateTime;
            number &= v instanceof Number;
        }
        return r.rows().isEmpty() ? XKind.CATEGORY : time ? XKind.TIME : number ? XKind.NUMBER : XKind.CATEGORY;
    }

    public StringProperty sqlProperty() {
        return sql;
    }

    public BooleanProperty runningProperty() {
        return running;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public ReadOnlyObjectProperty<AdHocResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public ObservableList<String> columns() {
        return columns;
    }

    public ObjectProperty<String> xColumnProperty() {
        return xColumn;
    }

    public ObjectProperty<String> yColumnProperty() {
        return yColumn;
    }

    public ObjectProperty<SqlChartKind> kindProperty() {
        return kind;
    }

    public ReadOnlyObjectProperty<XKind> xKindProperty() {
        return xKind.getReadOnlyProperty();
    }

    public ObservableList<String> categories() {
        return categories;
    }

    public DoubleDataSet points() {
        return points;
    }
}
