package dev.pgdeck.app.main;

import dev.pgdeck.app.common.TaskRunner;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** State of the main window: hosts, the selected host's instances, and what the console is busy with. */
public final class MainViewModel {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    public static final int DEFAULT_REFRESH_SECONDS = 60;

    private final ConsoleHosts hosts;
    private final TaskRunner tasks;
    private final Consumer<Runnable> fxThread;

    private final ObservableList<HostStatus> hostList = FXCollections.observableArrayList();
    private final ObjectProperty<HostStatus> selectedHost = new SimpleObjectProperty<>();
    private final ObservableList<InstanceStatus> instances = FXCollections.observableArrayList();
    private final ObjectProperty<InstanceStatus> selectedInstance = new SimpleObjectProperty<>();
    private final IntegerProperty refreshSeconds = new SimpleIntegerProperty(DEFAULT_REFRESH_SECONDS);
    private final StringProperty statusText = new SimpleStringProperty("");
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final BooleanProperty darkTheme = new SimpleBooleanProperty(false);
    private final StringProperty failure = new SimpleStringProperty();
    private TaskRunner.Cancellable current;
    private boolean refreshAgain;

    /** {@code fxThread} runs a piece of work on the JavaFX thread ({@code Platform::runLater} outside tests). */
    public MainViewModel(ConsoleHosts hosts, TaskRunner tasks, Consumer<Runnable> fxThread) {
        this.hosts = hosts;
        this.tasks = tasks;
        this.fxThread = fxThread;
        selectedHost.addListener((obs, old, host) -> showInstances(host));
    }

    /** The host's instances; the instance selected before (by name) stays selected, else the first one is. */
    private void showInstances(HostStatus host) {
        InstanceStatus before = selectedInstance.get();
        instances.setAll(host == null ? List.of() : host.instances());
        InstanceStatus again = before == null ? null : instances.stream()
                .filter(i -> i.name().equals(before.name())).findFirst().orElse(null);
        selectedInstance.set(again != null ? again : instances.isEmpty() ? null : instances.get(0));
    }

    /** Starts the hosts (the sandbox builds on its first start) and then shows their overview. */
    public void startUp() {
        busy.set(true);
        statusText.set("Starting the sandbox…");
        progress.set(-1);
        current = tasks.run("start-hosts", () -> {
            hosts.start((step, fraction) -> fxThread.accept(() -> {
                statusText.set(step);
                progress.set(fraction);
            }));
            return hosts.refresh(host -> fxThread.accept(() -> answered(host)));
        }, this::show, this::fail);
    }

    public void refresh() {
        if (busy.get()) {
            return;
        }
        busy.set(true);
        statusText.set("Refreshing…");
        progress.set(-1);
        current = tasks.run("refresh-hosts", () -> hosts.refresh(host -> fxThread.accept(() -> answered(host))),
                this::show, this::fail);
    }

    /** One host answered while others may still run: it replaces its row (or is added) at once. */
    private void answered(HostStatus host) {
        boolean replaced = false;
        for (int i = 0; i < hostList.size() && !replaced; i++) {
            if (hostList.get(i).name().equals(host.name())) {
                boolean selected = selectedHost.get() != null && selectedHost.get().name().equals(host.name());
                hostList.set(i, host);
                if (selected) {
                    selectedHost.set(host);
                }
                replaced = true;
            }
        }
        if (!replaced) {
            hostList.add(host);
        }
        // the first host to answer is shown; one still connecting is listed but not chosen for the operator
        if (selectedHost.get() == null && !host.isConnecting()) {
            selectedHost.set(host);
        }
    }

    /**
     * Runs an operator's work (an action) with the status bar's progress and Cancel, unless something else runs:
     * then it says so and returns false.
     */
    public <T> boolean runBusy(String name, String status, java.util.concurrent.Callable<T> work,
                               Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        if (busy.get()) {
            statusText.set("Busy: wait for the running refresh or action, or cancel it");
            return false;
        }
        busy.set(true);
        statusText.set(status);
        progress.set(-1);
        current = tasks.run(name, work, result -> {
            idle();
            onSuccess.accept(result);
            refreshIfRequested();
        }, error -> {
            idle();
            onFailure.accept(error);
            refreshIfRequested();
        });
        return true;
    }

    private void idle() {
        busy.set(false);
        progress.set(0);
    }

    /** A line for the status bar (e.g. an action's latest output line). */
    public void say(String text) {
        statusText.set(text);
    }

    /** Refreshes now, or as soon as the running start-up or refresh is done (e.g. after the hosts were edited). */
    public void requestRefresh() {
        if (busy.get()) {
            refreshAgain = true;
        } else {
            refresh();
        }
    }

    private void refreshIfRequested() {
        if (refreshAgain) {
            refreshAgain = false;
            refresh();
        }
    }

    /** Cancels what runs (a start-up or refresh) at its next command. */
    public void cancel() {
        if (current != null) {
            current.cancel();
        }
    }

    /** Stops the hosts (the sandbox server stops cleanly) off the JavaFX thread, then runs {@code then}. */
    public void shutDown(Runnable then) {
        cancel();
        busy.set(true);
        statusText.set("Stopping the sandbox…");
        progress.set(-1);
        tasks.run("stop-hosts", () -> {
            hosts.close();
            return null;
        }, ignored -> then.run(), error -> then.run());
    }

    private void show(List<HostStatus> statuses) {
        String selectedName = selectedHost.get() == null ? null : selectedHost.get().name();
        hostList.setAll(statuses);
        HostStatus reselect = statuses.stream().filter(h -> h.name().equals(selectedName)).findFirst()
                .orElse(statuses.isEmpty() ? null : statuses.get(0));
        selectedHost.set(reselect);
        busy.set(false);
        progress.set(0);
        statusText.set("Updated " + LocalTime.now().format(CLOCK) + " · " + statuses.size()
                + (statuses.size() == 1 ? " host" : " hosts"));
        refreshIfRequested();
    }

    private void fail(Throwable error) {
        busy.set(false);
        progress.set(0);
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        statusText.set(message);
        failure.set(message);
        refreshIfRequested();
    }

    public ObservableList<HostStatus> hostList() {
        return hostList;
    }

    public ObjectProperty<HostStatus> selectedHostProperty() {
        return selectedHost;
    }

    public ObservableList<InstanceStatus> instances() {
        return instances;
    }

    /** The instance whose details show below the instances table. */
    public ObjectProperty<InstanceStatus> selectedInstanceProperty() {
        return selectedInstance;
    }

    /** How often every host is refreshed by itself, in seconds. */
    public IntegerProperty refreshSecondsProperty() {
        return refreshSeconds;
    }

    public StringProperty statusTextProperty() {
        return statusText;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public BooleanProperty darkThemeProperty() {
        return darkTheme;
    }

    /** The last failure's message, for the dialog service; null when none. */
    public StringProperty failureProperty() {
        return failure;
    }
}
