package dev.pgdeck.app;

import dev.pgdeck.app.charts.AnalyticsSource;
import dev.pgdeck.app.charts.ChartsController;
import dev.pgdeck.app.sql.SqlEditorController;
import dev.pgdeck.app.sql.SqlEditorViewModel;
import dev.pgdeck.app.charts.ChartsViewModel;
import dev.pgdeck.app.charts.SandboxAnalyticsSource;
import dev.pgdeck.app.charts.SaveDialog;
import dev.pgdeck.app.commandlog.CommandLogViewModel;
import dev.pgdeck.app.common.AppExecutor;
import dev.pgdeck.app.ingest.IngestTarget;
import dev.pgdeck.app.ingest.IngestWizardController;
import dev.pgdeck.app.ingest.IngestWizardModel;
import dev.pgdeck.app.ingest.SandboxIngestTarget;
import dev.pgdeck.app.common.ControllerFactory;
import dev.pgdeck.app.common.DialogService;
import dev.pgdeck.app.common.FxTaskRunner;
import dev.pgdeck.app.common.UiPreferences;
import dev.pgdeck.app.instance.InstanceActions;
import dev.pgdeck.app.instance.InstanceDetailController;
import dev.pgdeck.app.instance.InstanceDetailViewModel;
import dev.pgdeck.app.main.RefreshTimer;
import dev.pgdeck.app.hosts.FxHostKeyPrompt;
import dev.pgdeck.app.hosts.FxPassphraseSource;
import dev.pgdeck.app.hosts.HostButtonsController;
import dev.pgdeck.app.hosts.HostEditor;
import dev.pgdeck.app.hosts.InventoryConsoleHosts;
import dev.pgdeck.app.main.ConsoleHosts;
import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.app.main.MainWindowController;
import dev.pgdeck.app.main.SandboxConsoleHosts;
import dev.pgdeck.app.restore.InventoryRestoreHosts;
import dev.pgdeck.app.restore.RestoreHosts;
import dev.pgdeck.app.restore.RestoreWizardController;
import dev.pgdeck.app.restore.RestoreWizardModel;
import dev.pgdeck.app.restore.SandboxRestoreHosts;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.sandbox.SandboxHost;
import dev.pgdeck.remote.hosts.HostInventory;
import dev.pgdeck.remote.hosts.InventoryHosts;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.stage.FileChooser;
import javafx.stage.Stage;

/** The console: builds the object graph, shows the main window at once, and starts the hosts behind it. */
public final class PgdeckApplication extends Application {
    private static final String BASE_CSS = "/dev/pgdeck/app/theme/base.css";
    private static final String DARK_CSS = "/dev/pgdeck/app/theme/dark.css";
    private static final Duration PER_HOST_TIMEOUT = Duration.ofSeconds(30);

    /** A window built without restore hosts (some tests): the Restore tab says so. */
    private static final RestoreHosts NO_RESTORE_HOSTS = new RestoreHosts() {
        @Override
        public java.util.List<HostChoice> hosts() {
            throw new IllegalStateException("this window has no hosts to restore");
        }

        @Override
        public dev.pgdeck.app.restore.RestoreConnection open(HostChoice host, InstanceChoice instance) {
            throw new IllegalStateException("this window has no hosts to restore");
        }
    };

    private AppExecutor executor;
    private SandboxAnalyticsSource analytics;

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
        Map<String, String> env = System.getenv();
        Path inventoryFile = HostInventory.defaultFile(env);
        FxHostKeyPrompt hostKeys = new FxHostKeyPrompt(stage);
        ConsoleHosts hosts = new InventoryConsoleHosts(new SandboxConsoleHosts(sandbox), inventoryFile,
                InventoryHosts.knownHostsFile(env), log, hostKeys, new FxPassphraseSource(stage), PER_HOST_TIMEOUT);
        analytics = new SandboxAnalyticsSource(sandbox, log);
        RestoreHosts restoreHosts = new InventoryRestoreHosts(new SandboxRestoreHosts(sandbox), inventoryFile,
                InventoryHosts.knownHostsFile(env), log, hostKeys, new FxPassphraseSource(stage));
        Window window = createWindow(stage, log, hosts, inventoryFile, new SandboxIngestTarget(sandbox), analytics,
                fileChooser(stage), restoreHosts);
        // an unknown host key answered after its refresh gave up waiting counts at once
        hostKeys.onLateAnswer(window.viewModel::requestRefresh);
        window.viewModel.startUp();
    }

    /**
     * Everything but the start-up, so that tests can build the window around their own hosts. The charts start
     * loading at once: their source waits for the hosts to be up.
     */
    Window createWindow(Stage stage, CommandLog log, ConsoleHosts hosts, IngestTarget ingestTarget,
                        AnalyticsSource analyticsSource, SaveDialog saveDialog) {
        return createWindow(stage, log, hosts, HostInventory.defaultFile(System.getenv()), ingestTarget,
                analyticsSource, saveDialog);
    }

    /** As above, with the host inventory the Add / Edit / Remove buttons change. */
    Window createWindow(Stage stage, CommandLog log, ConsoleHosts hosts, Path inventoryFile, IngestTarget ingestTarget,
                        AnalyticsSource analyticsSource, SaveDialog saveDialog) {
        return createWindow(stage, log, hosts, inventoryFile, ingestTarget, analyticsSource, saveDialog,
                NO_RESTORE_HOSTS);
    }

    /** As above, with the hosts the Restore tab can restore. */
    Window createWindow(Stage stage, CommandLog log, ConsoleHosts hosts, Path inventoryFile, IngestTarget ingestTarget,
                        AnalyticsSource analyticsSource, SaveDialog saveDialog, RestoreHosts restoreHosts) {
        DialogService dialogs = new DialogService(stage);
        executor = new AppExecutor(error -> dialogs.showError("Unexpected error", String.valueOf(error)));
        Thread.setDefaultUncaughtExceptionHandler((thread, error) ->
                dialogs.showError("Unexpected error in " + thread.getName(), String.valueOf(error)));
        FxTaskRunner tasks = new FxTaskRunner(executor);
        MainViewModel viewModel = new MainViewModel(hosts, tasks, Platform::runLater);
        CommandLogViewModel commandLog = new CommandLogViewModel(log, Platform::runLater);
        InstanceDetailViewModel detail = new InstanceDetailViewModel(hosts, tasks);
        viewModel.selectedInstanceProperty().addListener((obs, old, instance) ->
                detail.show(viewModel.selectedHostProperty().get(), instance));
        InstanceActions instanceActions = new InstanceActions(hosts, tasks, viewModel, log, Platform::runLater,
                detail);
        Path preferencesFile = inventoryFile.resolveSibling("ui.json");
        UiPreferences preferences = UiPreferences.load(preferencesFile);
        viewModel.darkThemeProperty().set(preferences.darkTheme());
        viewModel.refreshSecondsProperty().set(preferences.refreshSeconds());
        ChartsViewModel charts = new ChartsViewModel(analyticsSource, new FxTaskRunner(executor));
        SqlEditorViewModel sql = new SqlEditorViewModel(analyticsSource, new FxTaskRunner(executor));
        IngestWizardModel ingest = new IngestWizardModel(ingestTarget, new FxTaskRunner(executor), Platform::runLater,
                Instant::now);
        RestoreWizardModel restore = new RestoreWizardModel(restoreHosts, new FxTaskRunner(executor),
                Platform::runLater);
        MainWindowController[] mainController = new MainWindowController[1];
        Map<Class<?>, Supplier<?>> controllers = Map.of(
                InstanceDetailController.class, () -> new InstanceDetailController(detail, instanceActions, viewModel),
                MainWindowController.class, () -> mainController[0] = new MainWindowController(viewModel, commandLog),
                ChartsController.class, () -> new ChartsController(charts, saveDialog),
                SqlEditorController.class, () -> new SqlEditorController(sql, saveDialog),
                IngestWizardController.class, () -> new IngestWizardController(ingest),
                RestoreWizardController.class, () -> new RestoreWizardController(restore),
                HostButtonsController.class, () -> new HostButtonsController(new HostEditor(inventoryFile, stage,
                        tasks), viewModel));
        ControllerFactory views = new ControllerFactory(controllers);
        Parent root = views.load(getClass().getResource("main/main-window.fxml"));
        TabPane tabs = mainController[0].tabs();
        loadWhenOpened(tabs, "ingestTab", views, "ingest/ingest-wizard.fxml");
        loadWhenOpened(tabs, "chartsTab", views, "charts/charts.fxml");
        Tab restoreTab = new Tab("Restore");
        restoreTab.setId("restoreTab");
        tabs.getTabs().add(restoreTab);
        loadWhenOpened(tabs, "restoreTab", views, "restore/restore-wizard.fxml");

        Scene scene = new Scene(root, 1280, 800);
        scene.getStylesheets().add(getClass().getResource(BASE_CSS).toExternalForm());
        applyTheme(scene, viewModel.darkThemeProperty().get());
        viewModel.darkThemeProperty().addListener((obs, was, dark) -> applyTheme(scene, dark));
        // the settings are written off the JavaFX thread after each change
        Runnable savePreferences = () -> {
            UiPreferences now = new UiPreferences(viewModel.darkThemeProperty().get(),
                    viewModel.refreshSecondsProperty().get());
            tasks.run("save-preferences", () -> {
                now.save(preferencesFile);
                return null;
            }, saved -> { }, error -> viewModel.say("Could not save " + preferencesFile + ": " + error.getMessage()));
        };
        viewModel.darkThemeProperty().addListener((obs, was, dark) -> savePreferences.run());
        viewModel.refreshSecondsProperty().addListener((obs, was, seconds) -> savePreferences.run());
        RefreshTimer refreshTimer = new RefreshTimer(viewModel);
        refreshTimer.start();
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
            refreshTimer.stop();
            viewModel.shutDown(Platform::exit);
        });
        FirstFrame.reportWhenShown(scene);
        stage.show();
        charts.start();
        return new Window(viewModel, charts, sql, ingest, restore, scene);
    }

    /** Builds a tab's view the first time it is selected, not with the window: ChartFX alone costs ~0.5 s. */
    private void loadWhenOpened(TabPane tabs, String tabId, ControllerFactory views, String fxml) {
        Tab tab = tabs.getTabs().stream().filter(t -> tabId.equals(t.getId())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no tab " + tabId + " in main-window.fxml"));
        tab.selectedProperty().addListener((obs, was, selected) -> {
            if (selected && tab.getContent() == null) {
                tab.setContent(views.load(getClass().getResource(fxml)));
            }
        });
    }

    private static void applyTheme(Scene scene, boolean dark) {
        String darkCss = PgdeckApplication.class.getResource(DARK_CSS).toExternalForm();
        if (dark && !scene.getStylesheets().contains(darkCss)) {
            scene.getStylesheets().add(darkCss);
        } else if (!dark) {
            scene.getStylesheets().remove(darkCss);
        }
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdown();
        }
        if (analytics != null) {
            try {
                analytics.close();
            } catch (Exception e) {
                System.err.println("pgdeck: " + e.getMessage());
            }
        }
    }

    /** Exports go where the user picks in a file chooser. */
    private static SaveDialog fileChooser(Stage stage) {
        return (title, suggestedName, extension) -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(title);
            chooser.setInitialFileName(suggestedName);
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(extension.toUpperCase(), "*." + extension));
            return Optional.ofNullable(chooser.showSaveDialog(stage)).map(java.io.File::toPath);
        };
    }

    record Window(MainViewModel viewModel, ChartsViewModel charts, SqlEditorViewModel sql, IngestWizardModel ingest,
                  RestoreWizardModel restore, Scene scene) {}
}
