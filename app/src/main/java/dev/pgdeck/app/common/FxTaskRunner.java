package dev.pgdeck.app.common;

import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import javafx.application.Platform;

/** Runs tasks on the {@link AppExecutor}; callbacks come back on the JavaFX thread. */
public final class FxTaskRunner implements TaskRunner {
    private final AppExecutor executor;

    public FxTaskRunner(AppExecutor executor) {
        this.executor = executor;
    }

    @Override
    public <T> Cancellable run(String name, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        Future<?> future = executor.pool().submit(() -> {
            Thread.currentThread().setName("pgdeck-" + name);
            try {
                T result = work.call();
                Platform.runLater(() -> onSuccess.accept(result));
            } catch (Throwable e) {
                Platform.runLater(() -> onFailure.accept(e));
            }
        });
        return () -> future.cancel(true);
    }
}
