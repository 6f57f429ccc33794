package dev.pgdeck.app.commandlog;

import dev.pgdeck.model.CommandLogEntry;
import dev.pgdeck.remote.host.CommandLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The command log pane's rows. Entries arrive on worker threads; they are queued and handed to the JavaFX thread in
 * batches, so a burst of commands costs one UI update, not one each.
 */
public final class CommandLogViewModel {
    private static final int SHOWN = 2_000;

    private final ObservableList<CommandLogEntry> entries = FXCollections.observableArrayList();
    private final ConcurrentLinkedQueue<CommandLogEntry> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Consumer<Runnable> fxThread;

    public CommandLogViewModel(CommandLog log, Consumer<Runnable> fxThread) {
        this.fxThread = fxThread;
        entries.setAll(log.entries());
        log.addListener(this::arrived);
    }

    private void arrived(CommandLogEntry entry) {
        pending.add(entry);
        if (drainScheduled.compareAndSet(false, true)) {
            fxThread.accept(this::drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        List<CommandLogEntry> batch = new ArrayList<>();
        for (CommandLogEntry entry; (entry = pending.poll()) != null; ) {
            batch.add(entry);
        }
        entries.addAll(batch);
        if (entries.size() > SHOWN) {
            entries.remove(0, entries.size() - SHOWN);
        }
    }

    public ObservableList<CommandLogEntry> entries() {
        return entries;
    }
}
