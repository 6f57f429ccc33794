package dev.pgdeck.remote.posthog;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body that fails when no byte arrives for {@code limit}. HttpClient's request timeout ends when the
 * headers arrive; without this a server that stalls mid-body would hold a run forever. A watchdog closes the stream,
 * which wakes the blocked read; the read then throws an IOException naming the stall, and the caller retries the page.
 */
final class StallGuardedStream extends FilterInputStream {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgdeck-posthog-stall-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final long limitNanos;
    private final ScheduledFuture<?> check;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean stalled;

    StallGuardedStream(InputStream body, Duration limit) {
        super(body);
        this.limitNanos = limit.toNanos();
        long period = Math.max(10, limit.toMillis() / 4);
        this.check = WATCHDOG.scheduleAtFixedRate(this::closeIfStalled, period, period, TimeUnit.MILLISECONDS);
    }

    private void closeIfStalled() {
        if (!stalled && System.nanoTime() - lastProgress > limitNanos) {
            stalled = true;
            check.cancel(false);
            try {
                in.close();
            } catch (IOException ignored) {
                // The reader learns of the stall from the flag; a failing close changes nothing for it.
            }
        }
    }

    @Override
    public int read() throws IOException {
        return guarded(() -> in.read());
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        return guarded(() -> in.read(buffer, offset, length));
    }

    private int guarded(IoRead read) throws IOException {
        if (stalled) {
            throw stallFailure();
        }
        try {
            int n = read.read();
            if (stalled) {
                throw stallFailure();
            }
            lastProgress = System.nanoTime();
            return n;
        } catch (IOException e) {
            throw stalled ? stallFailure() : e;
        }
    }

    private IOException stallFailure() {
        return new IOException("the response stopped: no data for " + Duration.ofNanos(limitNanos).toSeconds()
                + " s");
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        super.close();
    }

    @FunctionalInterface
    private interface IoRead {
        int read() throws IOException;
    }
}
