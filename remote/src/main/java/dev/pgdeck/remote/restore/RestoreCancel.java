package dev.pgdeck.remote.restore;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.remote.host.HostCommandException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A cancel request from the operator (any thread). The executor honours it at the plan's safe points; waits between
 * polls end at once when it is requested, and a command run through {@link #interruptibly} is stopped in the middle.
 */
public final class RestoreCancel {
    private final CountDownLatch requested = new CountDownLatch(1);
    private Thread interruptible; // guarded by this: the thread running a command a cancel may stop

    public void request() {
        synchronized (this) {
            requested.countDown();
            if (interruptible != null) {
                interruptible.interrupt();
            }
        }
    }

    public boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** Waits up to {@code pause}; true when a cancel was requested meanwhile (or before). */
    boolean awaitFor(Duration pause) throws InterruptedException {
        return requested.await(pause.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A command a cancel may stop in the middle; the shells stop a command when their thread is interrupted. */
    interface Command {
        CommandResult run() throws HostCommandException;
    }

    /** The command was not run, or was stopped in the middle, because a cancel was requested. */
    static final class Interrupted extends Exception {
        Interrupted() {
            super("cancelled by the operator");
        }
    }

    /**
     * Runs {@code command} so that a cancel stops it: not started when a cancel is already requested, interrupted
     * when one comes while it runs. An interrupt that lands as the command ends is cleared, so it cannot stop the
     * commands that follow (a drill's cleanup).
     */
    CommandResult interruptibly(Command command) throws HostCommandException, Interrupted {
        synchronized (this) {
            if (isRequested()) {
                throw new Interrupted();
            }
            interruptible = Thread.currentThread();
        }
        try {
            return command.run();
        } catch (HostCommandException e) {
            if (isRequested()) {
                throw new Interrupted();
            }
            throw e;
        } finally {
            synchronized (this) {
                interruptible = null;
                if (isRequested()) {
                    Thread.interrupted();
                }
            }
        }
    }
}
