package dev.pgdeck.remote.restore;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A cancel request from the operator (any thread). The executor honours it at the plan's safe points; waits between
 * polls end at once when it is requested.
 */
public final class RestoreCancel {
    private final CountDownLatch requested = new CountDownLatch(1);

    public void request() {
        requested.countDown();
    }

    public boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** Waits up to {@code pause}; true when a cancel was requested meanwhile (or before). */
    boolean awaitFor(Duration pause) throws InterruptedException {
        return requested.await(pause.toMillis(), TimeUnit.MILLISECONDS);
    }
}
