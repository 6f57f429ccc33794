package dev.pgdeck.app;

import dev.pgdeck.app.charts.AnalyticsSource;
import dev.pgdeck.app.charts.ChartsViewModel;
import dev.pgdeck.app.charts.SaveDialog;
import dev.pgdeck.app.ingest.IngestTarget;
import dev.pgdeck.app.ingest.IngestWizardModel;
import dev.pgdeck.app.main.ConsoleHosts;
import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.app.sql.SqlEditorViewModel;
import dev.pgdeck.remote.host.CommandLog;
import java.util.Optional;
import javafx.stage.Stage;
import javax.sql.DataSource;

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
}
