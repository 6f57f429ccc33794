package dev.pgdeck.app;

import dev.pgdeck.app.ingest.IngestTarget;
import dev.pgdeck.app.ingest.IngestWizardModel;
import dev.pgdeck.app.main.ConsoleHosts;
import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.remote.host.CommandLog;
import javafx.stage.Stage;
import javax.sql.DataSource;

/** Opens the console's main window around hosts of a test's choosing. */
public final class TestWindows {
    private TestWindows() {}

    public static MainViewModel open(Stage stage, CommandLog log, ConsoleHosts hosts) {
        return new PgdeckApplication().createWindow(stage, log, hosts, new IngestTarget() {
            @Override
            public String description() {
                return "no warehouse (a test)";
            }

            @Override
            public DataSource warehouse() {
                throw new IllegalStateException("this test window has no warehouse");
            }
        }).viewModel();
    }

    /** The whole window, with the ingest wizard writing to {@code target}. */
    public static IngestWizardModel openWithIngest(Stage stage, CommandLog log, ConsoleHosts hosts,
                                                   IngestTarget target) {
        return new PgdeckApplication().createWindow(stage, log, hosts, target).ingest();
    }
}
