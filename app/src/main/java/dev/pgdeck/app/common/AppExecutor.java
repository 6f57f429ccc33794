package dev.pgdeck.app.common;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** The console's one pool of worker threads: named, daemon, and failures reported instead of lost. */
public final class AppExecutor {
    private final ExecutorService pool;

    public AppExecutor(Consumer<Throwable> uncaught) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "pgdeck-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> uncaught.accept(e));
            return thread;
        };
        this.pool = Executors.newCachedThreadPool(factory);
    }

    public ExecutorService pool() {
        return pool;
    }

    public void shutdown() {
        pool.shutdownNow();
    }
}
