package dev.pgdeck.app.common;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs work off the JavaFX thread and hands its result (or failure) back on it. Behind an interface so that view
 * models can be driven synchronously in tests.
 */
public interface TaskRunner {
    <T> Cancellable run(String name, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    /** A started task; cancelling interrupts it (running host commands are then stopped). */
    interface Cancellable {
        void cancel();
    }
}
