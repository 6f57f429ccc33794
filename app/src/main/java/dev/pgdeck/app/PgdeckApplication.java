package dev.pgdeck.app;

import dev.pgdeck.app.commandlog.CommandLogViewModel;
import dev.pgdeck.app.common.AppExecutor;
import dev.pgdeck.app.common.ControllerFactory;
import dev.pgdeck.app.common.DialogService;
import dev.pgdeck.app.common.FxTaskRunner;
import dev.pgdeck.app.ingest.IngestTarget;
import dev.pgdeck.app.ingest.IngestWizardController;
import dev.pgdeck.app.ingest.IngestWizardModel;
import dev.pgdeck.app.ingest.SandboxIngestTarget;
import dev.pgdeck.app.main.ConsoleHosts;
import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.app.main.MainWindowController;
import dev.pgdeck.app.main.SandboxConsoleHosts;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.sandbox.SandboxHost;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The console: builds the object graph, shows the main window at once, and starts the hosts behind it. */
public final class PgdeckApplication extends Application {
    private static final String BASE_CSS = "/dev/pgdeck/app/theme/base.css";
    private static final String DARK_CSS = "/dev/pgdeck/app/theme/dark.css";

    private AppExecutor executor;

    @Override
    public void start(Stage stage) {
        CommandLog log = new CommandLog();
        SandboxHost sandbox = SandboxHost.fromEnvironment(log);
        // A console killed by a signal still stops the sandbox server cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                sandbox.close();
            } catch (Exception e) {
                System.err.println("pgdeck: " + e.getMessage());
            }
        }, "pgdeck-stop-sandbox"));
        ConsoleHosts hosts = new SandboxConsoleHosts(sandbox);
        Window window = createWindow(stage, log, hosts, new SandboxIngestTarget(sandbox));
        window.viewModel.startUp();
    }

    /** Everything but the start-up, so that tests can build the window around their own hosts. */
    Window createWindow(Stage stage, CommandLog log, ConsoleHosts hosts, IngestTarget ingestTarget) {
        DialogService dialogs = new DialogService(stage);
        executor = new AppExecutor(error -> dialogs.showError("Unexpected error", String.valueOf(error)));
        Thread.setDefaultUncaughtExceptionHandler((thread, error) ->
                dialogs.showError("Unexpected error in " + thread.getName(), String.valueOf(error)));
        MainViewModel viewModel = new MainViewModel(hosts, new FxTaskRunner(executor), Platform::runLater);
        CommandLogViewModel commandLog = new CommandLogViewModel(log, Platform::runLater);
        IngestWizardModel ingest = new IngestWizardModel(ingestTarget, new FxTaskRunner(executor), Platform::runLater,
                Instant::now);
        Map<Class<?>, Supplier<?>> controllers = Map.of(
                MainWindowController.class, () -> new MainWindowController(viewModel, commandLog),
                IngestWizardController.class, () -> new IngestWizardController(ingest));
        Parent root = new ControllerFactory(controllers).load(getClass().getResource("main/main-window.fxml"));

        Scene scene = new Scene(root, 1280, 800);
        scene.getStylesheets().add(getClass().getResource(BASE_CSS).toExternalForm());
        viewModel.darkThemeProperty().addListener((obs, was, dark) -> applyTheme(scene, dark));
        viewModel.failureProperty().addListener((obs, old, message) -> {
            if (message != null) {
                dialogs.showError("The console could not read its hosts", message);
                viewModel.failureProperty().set(null);
            }
        });
        stage.setTitle("pgdeck");
        stage.setScene(scene);
        stage.setOnCloseRequest(event -> {
            // Stopping the sandbox is I/O: do it off the JavaFX thread, then exit.
            event.consume();
            viewModel.shutDown(Platform::exit);
        });
        FirstFrame.reportWhenShown(scene);
        stage.show();
        return new Window(viewModel, ingest, scene);
    }

    private static void applyTheme(Scene scene, boolean dark) {
        String darkCss = PgdeckApplication.class.getResource(DARK_CSS).toExternalForm();
        if (dark) {
            scene.getStylesheets().add(darkCss);
        } else {
            scene.getStylesheets().remove(darkCss);
        }
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdown();
        }
    }

    record Window(MainViewModel viewModel, IngestWizardModel ingest, Scene scene) {}
}
