package dev.pgdeck.remote.host;

import dev.pgdeck.model.CommandLogEntry;
import dev.pgdeck.model.CommandLogEntry.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every command and SQL statement the console ran, with duration and outcome. Thread-safe: commands are recorded
 * from worker threads; listeners are called on the recording thread.
 */
public final class CommandLog {
    private static final int KEPT = 5_000;

    private final Deque<CommandLogEntry> entries = new ArrayDeque<>();
    private final List<Consumer<CommandLogEntry>> listeners = new CopyOnWriteArrayList<>();

    public void record(CommandLogEntry entry) {
        synchronized (entries) {
            entries.addLast(entry);
            if (entries.size() > KEPT) {
                entries.removeFirst();
            }
        }
        for (Consumer<CommandLogEntry> listener : listeners) {
            listener.accept(entry);
        }
    }

    public void record(Kind kind, String host, String text, Instant startedAt, String outcome, boolean failed) {
        record(new CommandLogEntry(startedAt, kind, host, text, Duration.between(startedAt, Instant.now()), outcome,
                failed));
    }

    public List<CommandLogEntry> entries() {
        synchronized (entries) {
            return new ArrayList<>(entries);
        }
    }

    public void addListener(Consumer<CommandLogEntry> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<CommandLogEntry> listener) {
        listeners.remove(listener);
    }
}
