package dev.pgdeck.app;

import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.remote.restore.RestoreCancel;
import dev.pgdeck.remote.restore.RestoreExecutor;
import dev.pgdeck.remote.restore.RestoreListener;
import dev.pgdeck.remote.restore.RestoreReport;
import dev.pgdeck.remote.restore.RestoreWorkflow;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ctrl-C (or a TERM) during `pgdeck restore` or `pgdeck drill` cancels the run instead of abandoning it: the exit
 * waits while a drill stops its scratch server and removes its copy (at most {@link #CLEANUP_LIMIT}), and the account
 * of what was done is printed. Without this the JVM would exit with a scratch server still running.
 */
final class CancelOnExit {
    static final Duration CLEANUP_LIMIT = Duration.ofMinutes(3);

    private final RestoreCancel cancel = new RestoreCancel();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<RestoreReport> report = new AtomicReference<>();
    private final PrintWriter err;

    CancelOnExit(PrintWriter err) {
        this.err = err;
    }

    /** Runs {@code plan} with the exit hook in place; the hook goes once the run has ended. */
    static RestoreReport execute(RestoreWorkflow workflow, RestorePlan plan, RestoreListener listener,
                                 PrintWriter err) {
        CancelOnExit guard = new CancelOnExit(err);
        Thread hook = new Thread(guard::onExit, "pgdeck-cancel-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return guard.run(workflow, plan, listener);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for this run, which has just ended
            }
        }
    }

    RestoreReport run(RestoreWorkflow workflow, RestorePlan plan, RestoreListener listener) {
        try {
            RestoreReport r = workflow.execute(plan, listener, cancel, RestoreExecutor.Options.DEFAULT);
            report.set(r);
            return r;
        } finally {
            finished.countDown();
        }
    }

    /** The shutdown hook: cancel, wait for the cleanup, say what happened. */
    void onExit() {
        if (finished.getCount() == 0) {
            return;
        }
        err.println("pgdeck: interrupted: cancelling (a drill still stops its scratch server and removes its copy)…");
        err.flush();
        cancel.request();
        try {
            if (!finished.await(CLEANUP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                err.println("pgdeck: the cancelled run did not finish within " + CLEANUP_LIMIT.toMinutes()
                        + " min; check the host for a scratch server or copy left behind");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RestoreReport r = report.get();
        if (r != null) {
            err.println("pgdeck: " + r.account());
        }
        err.flush();
    }
}
