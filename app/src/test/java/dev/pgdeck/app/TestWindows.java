package dev.pgdeck.app;

import dev.pgdeck.app.charts.AnalyticsSource;
import dev.pgdeck.app.charts.ChartsViewModel;
import dev.pgdeck.app.charts.SaveDialog;
import dev.pgdeck.app.main.ConsoleHosts;
import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.remote.host.CommandLog;
import java.util.Optional;
import javafx.stage.Stage;

/** Opens the console's main window around hosts of a test's choosing. */
public final class TestWindows {
    private TestWindows() {}

    /** The window with no analytics warehouse: the charts tab says so. */
    public static MainViewModel open(Stage stage, CommandLog log, ConsoleHosts hosts) {
        AnalyticsSource none = () -> {
            throw new IllegalStateException("no analytics warehouse in this test");
        };
        return open(stage, log, hosts, none, (title, name, extension) -> Optional.empty()).main();
    }

    public static Opened open(Stage stage, CommandLog log, ConsoleHosts hosts, AnalyticsSource analytics,
                              SaveDialog saveDialog) {
        PgdeckApplication.Window window = new PgdeckApplication().createWindow(stage, log, hosts, analytics, saveDialog);
        return new Opened(window.viewModel(), window.charts());
    }

    public record Opened(MainViewModel main, ChartsViewModel charts) {}
}
