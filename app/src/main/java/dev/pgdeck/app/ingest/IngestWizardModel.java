package dev.pgdeck.app.ingest;

import dev.pgdeck.app.common.TaskRunner;
import dev.pgdeck.remote.ingest.IngestEngine;
import dev.pgdeck.remote.ingest.IngestOptions;
import dev.pgdeck.remote.ingest.IngestProgress;
import dev.pgdeck.remote.ingest.IngestSummary;
import dev.pgdeck.remote.ingest.QualityCheck;
import dev.pgdeck.remote.posthog.ApiKey;
import dev.pgdeck.remote.posthog.EventSink;
import dev.pgdeck.remote.posthog.EventSource;
import dev.pgdeck.remote.posthog.EventsApiSource;
import dev.pgdeck.remote.posthog.Position;
import dev.pgdeck.remote.posthog.PostHogConnection;
import dev.pgdeck.remote.posthog.PostHogEvent;
import dev.pgdeck.remote.posthog.QueryApiSource;
import dev.pgdeck.remote.posthog.RetryPolicy;
import dev.pgdeck.remote.secret.OsKeyring;
import dev.pgdeck.remote.warehouse.WarehouseMigrations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javax.sql.DataSource;

/**
 * The ingest wizard's state, shared by its steps: connection → range → preview → run → summary. Properties only,
 * no controls; slow steps (test connection, preview, run) go through the {@link TaskRunner}; the run's progress comes
 * from the engine's thread through {@code fx}. The typed API key lives in {@link #typedKey} only: never written,
 * never logged (PostHog's {@link ApiKey} redacts itself).
 */
public final class IngestWizardModel {
    public enum Step { CONNECTION, RANGE, PREVIEW, RUN, SUMMARY }

    public enum Range { BACKFILL, WATERMARK }

    /** One event of the preview, as text. */
    public record PreviewRow(String time, String event, String distinctId, String url, String uuid) {
    }

    private static final int PREVIEW_EVENTS = 20;
    /** A connection test answers quickly: one retry, short waits. */
    private static final RetryPolicy TEST_RETRY =
            new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(5));

    private final IngestTarget target;
    private final TaskRunner tasks;
    private final Executor fx;
    private final Supplier<Instant> clock;

    private final ObjectProperty<Step> step = new SimpleObjectProperty<>(Step.CONNECTION);

    private final StringProperty postHogUrl = new SimpleStringProperty("https://eu.posthog.com");
    private final StringProperty projectId = new SimpleStringProperty("");
    private final StringProperty keyFile = new SimpleStringProperty("");
    private final StringProperty typedKey = new SimpleStringProperty("");
    private final BooleanProperty legacyApi = new SimpleBooleanProperty(false);
    /** Use the key saved in the OS keyring when none is typed or given as a file; save a typed key there once it works. */
    private final BooleanProperty useKeyring = new SimpleBooleanProperty(false);
    private final OsKeyring keyring;
    private final IntegerProperty pageSize = new SimpleIntegerProperty(10_000);
    private final BooleanProperty testing = new SimpleBooleanProperty(false);
    private final BooleanProperty connectionOk = new SimpleBooleanProperty(false);
    private final StringProperty connectionMessage = new SimpleStringProperty("");
    private final BooleanProperty connectionFailed = new SimpleBooleanProperty(false);

    private final ObjectProperty<Range> range = new SimpleObjectProperty<>(Range.BACKFILL);
    private final ObjectProperty<LocalDate> since = new SimpleObjectProperty<>(LocalDate.now(ZoneOffset.UTC).minusDays(7));

    private final ObservableList<PreviewRow> preview = FXCollections.observableArrayList();
    private final BooleanProperty loadingPreview = new SimpleBooleanProperty(false);
    private final BooleanProperty previewOk = new SimpleBooleanProperty(false);
    private final StringProperty previewMessage = new SimpleStringProperty("");

    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final BooleanProperty paused = new SimpleBooleanProperty(false);
    private final DoubleProperty runProgress = new SimpleDoubleProperty(0);
    private final StringProperty runEvents = new SimpleStringProperty("");
    private final StringProperty runRate = new SimpleStringProperty("");
    private final StringProperty runEta = new SimpleStringProperty("");
    private final StringProperty runMessage = new SimpleStringProperty("");

    private final ObjectProperty<IngestSummary> summary = new SimpleObjectProperty<>();
    private final ObservableList<QualityCheck> checks = FXCollections.observableArrayList();
    private final StringProperty summaryMessage = new SimpleStringProperty("");

    private final BooleanBinding canGoNext;
    private final BooleanBinding canGoBack;

    /** The run under way, set on its worker thread; pause and cancel act on it. */
    private volatile IngestEngine engine;
    private volatile boolean cancelRequested;
    private volatile boolean pauseRequested;
    private long runStartNanos;
    private long pausedNanos;
    private long pausedSince;

    public IngestWizardModel(IngestTarget target, TaskRunner tasks, Executor fx, Supplier<Instant> clock) {
        this(target, tasks, fx, clock, OsKeyring.system());
    }

    public IngestWizardModel(IngestTarget target, TaskRunner tasks, Executor fx, Supplier<Instant> clock,
                             OsKeyring keyring) {
        this.keyring = keyring;
        this.target = target;
        this.tasks = tasks;
        this.fx = fx;
        this.clock = clock;
        ChangeListener<Object> connectionChanged = (obs, old, now) -> {
            connectionOk.set(false);
            connectionFailed.set(false);
            connectionMessage.set("");
        };
        postHogUrl.addListener(connectionChanged);
        projectId.addListener(connectionChanged);
        keyFile.addListener(connectionChanged);
        typedKey.addListener(connectionChanged);
        legacyApi.addListener(connectionChanged);
        useKeyring.addListener(connectionChanged);
        canGoNext = Bindings.createBooleanBinding(() -> switch (step.get()) {
            case CONNECTION -> connectionOk.get() && !testing.get();
            case RANGE -> range.get() == Range.WATERMARK || since.get() != null;
            case PREVIEW -> previewOk.get() && !loadingPreview.get();
            case RUN, SUMMARY -> false;
        }, step, connectionOk, testing, range, since, previewOk, loadingPreview);
        canGoBack = Bindings.createBooleanBinding(() -> switch (step.get()) {
            case CONNECTION, RUN -> false;
            case RANGE -> true;
            case PREVIEW -> !loadingPreview.get();
            case SUMMARY -> !running.get();
        }, step, loadingPreview, running);
    }

    /** Whether "Test connection" can be pressed: the fields filled in, no test under way. */
    public BooleanBinding canTestConnection() {
        return Bindings.createBooleanBinding(() -> !testing.get() && !postHogUrl.get().isBlank()
                        && !projectId.get().isBlank()
                        && !(keyFile.get().isBlank() && typedKey.get().isBlank() && !useKeyring.get()),
                testing, postHogUrl, projectId, keyFile, typedKey, useKeyring);
    }

    public void next() {
        if (!canGoNext.get()) {
            return;
        }
        switch (step.get()) {
            case CONNECTION -> step.set(Step.RANGE);
            case RANGE -> {
                step.set(Step.PREVIEW);
                loadPreview();
            }
            case PREVIEW -> {
                step.set(Step.RUN);
                startRun();
            }
            default -> { }
        }
    }

    public void back() {
        if (!canGoBack.get()) {
            return;
        }
        switch (step.get()) {
            case RANGE -> step.set(Step.CONNECTION);
            case PREVIEW, SUMMARY -> step.set(Step.RANGE);
            default -> { }
        }
    }

    /** A real request to PostHog (one event), so that a wrong URL, project or key shows here, in words. */
    public void testConnection() {
        testing.set(true);
        connectionOk.set(false);
        connectionFailed.set(false);
        connectionMessage.set("Asking PostHog…");
        tasks.run("ingest-test-connection", () -> {
            PostHogConnection c = connection().withPageSize(1).withRetry(TEST_RETRY);
            int events = source(c, null).fetch(Position.START, new Collector(1)).events();
            String saved = "";
            if (useKeyring.get() && !typedKey.get().isBlank()) {
                // Only a key PostHog accepted is remembered.
                c.key().saveTo(keyring, c.baseUri(), c.projectId());
                saved = " The key is saved in the OS keyring.";
            }
            return (events > 0 ? " and has events." : ", which has no events yet.") + saved;
        }, outcome -> {
            testing.set(false);
            connectionOk.set(true);
            connectionMessage.set("Connected: PostHog answered for project " + projectId.get().strip() + outcome);
        }, error -> {
            testing.set(false);
            connectionFailed.set(true);
            connectionMessage.set("The connection failed: " + words(error));
        });
    }

    private void loadPreview() {
        loadingPreview.set(true);
        previewOk.set(false);
        preview.clear();
        previewMessage.set("Reading the first events from PostHog…");
        IngestOptions options = options();
        tasks.run("ingest-preview", () -> {
            DataSource warehouse = warehouse();
            PostHogConnection c = connection().withPageSize(PREVIEW_EVENTS).withRetry(TEST_RETRY);
            EventSource source = source(c, null);
            Position from = new IngestEngine(warehouse, source, options, IngestProgress.NONE).plannedStart();
            Collector collector = new Collector(PREVIEW_EVENTS);
            source.fetch(from, collector);
            List<PreviewRow> rows = new ArrayList<>();
            for (PostHogEvent e : collector.events) {
                rows.add(row(e));
            }
            return new Preview(from, rows);
        }, p -> {
            loadingPreview.set(false);
            previewOk.set(true);
            preview.setAll(p.rows());
            String start = p.from().time() == null ? "the beginning" : p.from().time().toString();
            previewMessage.set(p.rows().isEmpty() ? "No events from " + start + " on: a run would find nothing to ingest."
                    : "The first " + p.rows().size() + " events from " + start + ", into " + target.description() + ".");
        }, error -> {
            loadingPreview.set(false);
            previewMessage.set("The preview failed: " + words(error));
        });
    }

    private record Preview(Position from, List<PreviewRow> rows) {
    }

    private void startRun() {
        running.set(true);
        paused.set(false);
        cancelRequested = false;
        pauseRequested = false;
        pausedNanos = 0;
        runProgress.set(-1);
        runEvents.set("0 events");
        runRate.set("");
        runEta.set("");
        runMessage.set("Starting…");
        summary.set(null);
        checks.clear();
        IngestOptions options = options();
        Instant until = clock.get();
        int size = pageSize.get();
        runStartNanos = System.nanoTime();
        tasks.run("ingest-run", () -> {
            DataSource warehouse = warehouse();
            EventSource source = source(connection().withPageSize(size), until);
            IngestEngine probe = new IngestEngine(warehouse, source, options, IngestProgress.NONE);
            Instant from = probe.plannedStart().time();
            IngestEngine e = new IngestEngine(warehouse, source, options,
                    (pages, fetched, inserted, watermark) -> fx.execute(
                            () -> progress(pages, fetched, inserted, watermark, from, until)));
            engine = e;
            if (pauseRequested) {
                e.pause();
            }
            if (cancelRequested) {
                e.cancel();
            }
            fx.execute(() -> runMessage.set("Reading PostHog " + (from == null ? "from the beginning" : "from " + from)
                    + " to " + until + " into " + target.description() + "…"));
            return e.run();
        }, s -> {
            engine = null;
            running.set(false);
            paused.set(false);
            summary.set(s);
            checks.setAll(s.checks());
            long failed = s.checks().stream().filter(c -> !c.passed()).count();
            summaryMessage.set((cancelRequested ? "Cancelled after " + s.pages() + " pages; the next run goes on from"
                    + " the watermark. " : "Done. ")
                    + (s.checks().isEmpty() ? "No new events, so no data-quality checks."
                    : failed == 0 ? "All " + s.checks().size() + " data-quality checks passed."
                    : failed + " of " + s.checks().size() + " data-quality checks failed."));
            step.set(Step.SUMMARY);
        }, error -> {
            engine = null;
            running.set(false);
            paused.set(false);
            summaryMessage.set("The run failed: " + words(error));
            step.set(Step.SUMMARY);
        });
    }

    private void progress(int pages, long fetched, long inserted, Instant watermark, Instant from, Instant until) {
        double seconds = Math.max(1e-3, (System.nanoTime() - runStartNanos - pausedNanos
                - (paused.get() ? System.nanoTime() - pausedSince : 0)) / 1e9);
        double rate = fetched / seconds;
        runEvents.set(String.format("%,d events read, %,d new, %d pages", fetched, inserted, pages));
        runRate.set(String.format("%,.0f events/s", rate));
        if (from != null && watermark != null && until.isAfter(from)) {
            double done = Math.min(1, Math.max(0, (double) Duration.between(from, watermark).toMillis()
                    / Duration.between(from, until).toMillis()));
            runProgress.set(done);
            runEta.set(done <= 0 ? "ETA: —" : "ETA: " + eta(seconds * (1 - done) / done));
        } else {
            // From the beginning: the range has no known start, so no share done and no ETA.
            runProgress.set(-1);
            runEta.set("ETA: unknown (no start date)");
        }
        runMessage.set(paused.get() ? "Paused after page " + pages + "." : "Page " + pages + " committed"
                + (watermark == null ? "." : ", watermark " + watermark + "."));
    }

    private static String eta(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s" : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    /** Between two pages, with nothing half written; again to go on. */
    public void togglePause() {
        if (!running.get()) {
            return;
        }
        IngestEngine e = engine;
        if (paused.get()) {
            pauseRequested = false;
            pausedNanos += System.nanoTime() - pausedSince;
            paused.set(false);
            runMessage.set("Going on…");
            if (e != null) {
                e.resume();
            }
        } else {
            pauseRequested = true;
            pausedSince = System.nanoTime();
            paused.set(true);
            runMessage.set("Pausing after the page under way…");
            if (e != null) {
                e.pause();
            }
        }
    }

    /** Stops after the page under way is committed; the watermark keeps the place. */
    public void cancelRun() {
        if (!running.get()) {
            return;
        }
        cancelRequested = true;
        runMessage.set("Cancelling after the page under way…");
        IngestEngine e = engine;
        if (e != null) {
            e.cancel();
        }
    }

    private IngestOptions options() {
        return range.get() == Range.BACKFILL && since.get() != null
                ? IngestOptions.DEFAULT.withSince(since.get().atStartOfDay(ZoneOffset.UTC).toInstant())
                : IngestOptions.DEFAULT;
    }

    private DataSource warehouse() throws Exception {
        DataSource warehouse = target.warehouse();
        new WarehouseMigrations(warehouse).migrate();
        return warehouse;
    }

    private PostHogConnection connection() throws Exception {
        String url = postHogUrl.get().strip();
        URI uri = URI.create(url);
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
            throw new IllegalArgumentException("not a PostHog address: " + url + " (e.g. https://eu.posthog.com)");
        }
        String typed = typedKey.get();
        String project = projectId.get().strip();
        ApiKey key = typed != null && !typed.isBlank() ? ApiKey.of(typed)
                : !keyFile.get().isBlank() ? ApiKey.fromFile(Path.of(keyFile.get().strip()))
                : ApiKey.fromKeyring(keyring, uri, project);
        return PostHogConnection.of(uri, project, key);
    }

    private EventSource source(PostHogConnection c, Instant until) {
        return legacyApi.get() ? new EventsApiSource(c, until) : new QueryApiSource(c, until);
    }

    private static PreviewRow row(PostHogEvent e) {
        String props = e.properties() == null ? "" : e.properties().isTextual() ? e.properties().asText()
                : e.properties().toString();
        String url = "";
        int i = props.indexOf("\"$current_url\":\"");
        if (i >= 0) {
            int start = i + "\"$current_url\":\"".length();
            int end = props.indexOf('"', start);
            url = end > start ? props.substring(start, end) : "";
        }
        return new PreviewRow(e.timestamp() == null ? "" : e.timestamp(), e.event() == null ? "" : e.event().asText(),
                e.distinctId() == null ? "" : e.distinctId().asText(), url, e.uuid() == null ? "" : e.uuid());
    }

    /** The error in words: its message, not its class. */
    static String words(Throwable error) {
        Throwable e = error;
        while (e.getMessage() == null && e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Keeps the first events of a page. */
    private static final class Collector implements EventSink {
        private final int limit;
        private final List<PostHogEvent> events = new ArrayList<>();

        Collector(int limit) {
            this.limit = limit;
        }

        @Override
        public void begin() {
            events.clear();
        }

        @Override
        public void accept(PostHogEvent event) {
            if (events.size() < limit) {
                events.add(event);
            }
        }

        @Override
        public void abort() {
            events.clear();
        }
    }

    public ObjectProperty<Step> stepProperty() { return step; }
    public StringProperty postHogUrlProperty() { return postHogUrl; }
    public StringProperty projectIdProperty() { return projectId; }
    public StringProperty keyFileProperty() { return keyFile; }
    public StringProperty typedKeyProperty() { return typedKey; }
    public BooleanProperty legacyApiProperty() { return legacyApi; }
    public BooleanProperty useKeyringProperty() { return useKeyring; }
    public IntegerProperty pageSizeProperty() { return pageSize; }
    public BooleanProperty testingProperty() { return testing; }
    public BooleanProperty connectionOkProperty() { return connectionOk; }
    public BooleanProperty connectionFailedProperty() { return connectionFailed; }
    public StringProperty connectionMessageProperty() { return connectionMessage; }
    public ObjectProperty<Range> rangeProperty() { return range; }
    public ObjectProperty<LocalDate> sinceProperty() { return since; }
    public ObservableList<PreviewRow> preview() { return preview; }
    public BooleanProperty loadingPreviewProperty() { return loadingPreview; }
    public StringProperty previewMessageProperty() { return previewMessage; }
    public BooleanProperty runningProperty() { return running; }
    public BooleanProperty pausedProperty() { return paused; }
    public DoubleProperty runProgressProperty() { return runProgress; }
    public StringProperty runEventsProperty() { return runEvents; }
    public StringProperty runRateProperty() { return runRate; }
    public StringProperty runEtaProperty() { return runEta; }
    public StringProperty runMessageProperty() { return runMessage; }
    public ObjectProperty<IngestSummary> summaryProperty() { return summary; }
    public ObservableList<QualityCheck> checks() { return checks; }
    public StringProperty summaryMessageProperty() { return summaryMessage; }
    public BooleanBinding canGoNext() { return canGoNext; }
    public BooleanBinding canGoBack() { return canGoBack; }
    public String targetDescription() { return target.description(); }
}
