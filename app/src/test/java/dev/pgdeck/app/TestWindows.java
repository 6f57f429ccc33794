package dev.pgdeck.app;

import dev.pgdeck.app.main.ConsoleHosts;
import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.remote.host.CommandLog;
import javafx.stage.Stage;

/** Opens the console's main window around hosts of a test's choosing. */
public final class TestWindows {
    private TestWindows() {}

    public static MainViewModel open(Stage stage, CommandLog log, ConsoleHosts hosts) {
        return new PgdeckApplication().createWindow(stage, log, hosts).viewModel();
    }
}
