package dev.pgdeck.app;

import dev.pgdeck.app.charts.AnalyticsSource;
import dev.pgdeck.app.charts.ChartsViewModel;
import dev.pgdeck.app.charts.SaveDialog;
import dev.pgdeck.app.ingest.IngestTarget;
import dev.pgdeck.app.ingest.IngestWizardModel;
import dev.pgdeck.app.main.ConsoleHosts;
import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.app.main.SandboxConsoleHosts;
import dev.pgdeck.app.sql.SqlEditorViewModel;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.sandbox.Progress;
import dev.pgdeck.remote.sandbox.SandboxHost;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javafx.stage.Stage;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testfx.util.WaitForAsyncUtils;

/** Opens the console's main window around hosts (and warehouses) of a test's choosing. */
public final class TestWindows {
    private static final AnalyticsSource NO_ANALYTICS = () -> {
        throw new IllegalStateException("no analytics warehouse in this test");
    };
    private static final SaveDialog NO_SAVE = (title, name, extension) -> Optional.empty();
    private static final IngestTarget NO_WAREHOUSE = new IngestTarget() {
        @Override
        public String description() {
            return "no warehouse (a test)";
        }

        @Override
        public DataSource warehouse() {
            throw new IllegalStateException("this test window has no warehouse");
        }
    };

    private TestWindows() {}

    /** The window with no warehouse: the charts and ingest tabs say so. */
    public static MainViewModel open(Stage stage, CommandLog log, ConsoleHosts hosts) {
        return open(stage, log, hosts, NO_ANALYTICS, NO_SAVE).main();
    }

    /** The window whose Add / Edit / Remove buttons change {@code inventoryFile}. */
    public static MainViewModel openWithInventory(Stage stage, CommandLog log, ConsoleHosts hosts,
                                                  java.nio.file.Path inventoryFile) {
        return new PgdeckApplication().createWindow(stage, log, hosts, inventoryFile, NO_WAREHOUSE, NO_ANALYTICS,
                NO_SAVE).viewModel();
    }

    public static Opened open(Stage stage, CommandLog log, ConsoleHosts hosts, AnalyticsSource analytics,
                              SaveDialog saveDialog) {
        PgdeckApplication.Window window = new PgdeckApplication()
                .createWindow(stage, log, hosts, scratchInventory(), NO_WAREHOUSE, analytics, saveDialog);
        return new Opened(window.viewModel(), window.charts(), window.sql());
    }

    /** The whole window, with the ingest wizard writing to {@code target}. */
    public static IngestWizardModel openWithIngest(Stage stage, CommandLog log, ConsoleHosts hosts,
                                                   IngestTarget target) {
        return new PgdeckApplication().createWindow(stage, log, hosts, scratchInventory(), target, NO_ANALYTICS,
                NO_SAVE).ingest();
    }

    /** A hosts.json (and ui.json) in a fresh directory: a test never changes the user's settings. */
    private static java.nio.file.Path scratchInventory() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pgdeck-window-test");
            dir.toFile().deleteOnExit();
            return dir.resolve("hosts.json");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The whole window, with the Restore tab working on {@code restoreHosts}. */
    public static dev.pgdeck.app.restore.RestoreWizardModel openWithRestore(
            Stage stage, CommandLog log, ConsoleHosts hosts, dev.pgdeck.app.restore.RestoreHosts restoreHosts) {
        return new PgdeckApplication().createWindow(stage, log, hosts,
                dev.pgdeck.remote.hosts.HostInventory.defaultFile(System.getenv()), NO_WAREHOUSE, NO_ANALYTICS,
                NO_SAVE, restoreHosts).restore();
    }

    public record Opened(MainViewModel main, ChartsViewModel charts, SqlEditorViewModel sql) {}

    /** Hosts that answer every refresh with {@code overview}'s host and offer {@code actions} (null: none). */
    public static ConsoleHosts answering(Supplier<HostStatus> overview, HostActions actions) {
        return new ConsoleHosts() {
            @Override
            public void start(Progress progress) {
            }

            @Override
            public List<HostStatus> refresh() {
                return List.of(overview.get());
            }

            @Override
            public Optional<HostActions> actions(String hostName) {
                return Optional.ofNullable(actions);
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * One sandbox for a test class, made when its first window needs it and closed after the class. Register with
     * {@code @RegisterExtension static final TestWindows.ClassSandbox SANDBOX = new TestWindows.ClassSandbox(LOG);}.
     */
    public static final class ClassSandbox implements AfterAllCallback {
        private final CommandLog log;
        private SandboxHost sandbox;

        public ClassSandbox(CommandLog log) {
            this.log = log;
        }

        public SandboxHost get() {
            if (sandbox == null) {
                sandbox = SandboxHost.fromEnvironment(log);
            }
            return sandbox;
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            if (sandbox != null) {
                sandbox.close();
                sandbox = null;
            }
        }
    }

    /**
     * The sandbox's hosts, remembering the last overview the probe returned (what the window must show). Closing the
     * window leaves the sandbox running for the class's next test.
     */
    public static final class RecordingHosts implements ConsoleHosts {
        private final SandboxConsoleHosts hosts;
        private final AtomicReference<HostStatus> probed = new AtomicReference<>();

        public RecordingHosts(SandboxHost sandbox) {
            hosts = new SandboxConsoleHosts(sandbox);
        }

        @Override
        public void start(Progress progress) throws Exception {
            hosts.start(progress);
        }

        @Override
        public List<HostStatus> refresh() {
            List<HostStatus> all = hosts.refresh();
            probed.set(all.get(0));
            return all;
        }

        @Override
        public Optional<HostActions> actions(String hostName) {
            return hosts.actions(hostName);
        }

        @Override
        public void close() {
        }

        /** The sandbox host's overview from the latest refresh; null before the first. */
        public HostStatus probed() {
            return probed.get();
        }

        /** Waits until {@code window} is idle, showing a reachable first host, and a refresh has been recorded. */
        public void awaitProbed(MainViewModel window, long seconds) throws TimeoutException {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> !window.busyProperty().get()
                    && !window.hostList().isEmpty() && window.hostList().get(0).reachable() && probed() != null);
            WaitForAsyncUtils.waitForFxEvents();
        }
    }
}
