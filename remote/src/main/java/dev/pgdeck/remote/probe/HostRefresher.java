package dev.pgdeck.remote.probe;

import dev.pgdeck.model.HostStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Refreshes all hosts at once, each with its own time limit: a slow or unreachable host shows its error and since
 * when its overview is stale, and never holds up the others. The last good overview of each host is kept and shown
 * (marked stale) while the host does not answer.
 */
public final class HostRefresher implements AutoCloseable {
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "host-refresh");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, HostStatus> lastGood = new ConcurrentHashMap<>();
    private final Map<String, HostStatus> last = new ConcurrentHashMap<>();
    private final Duration perHostTimeout;
    private final Clock clock;

    public HostRefresher(Duration perHostTimeout, Clock clock) {
        this.perHostTimeout = perHostTimeout;
        this.clock = clock;
    }

    /** Probes every host concurrently; returns in the order given, after at most about {@code perHostTimeout}. */
    public List<HostStatus> refresh(Map<String, Callable<HostStatus>> probes) {
        return refresh(probes, answered -> { });
    }

    /**
     * As above, and hands each host's overview to {@code eachAnswer} as soon as that host answered (or failed, or ran
     * out of time), on the thread that waited for it: the first hosts to answer are shown while others still run.
     */
    public List<HostStatus> refresh(Map<String, Callable<HostStatus>> probes, Consumer<HostStatus> eachAnswer) {
        Instant started = clock.instant();
        long deadline = System.nanoTime() + perHostTimeout.toNanos();
        Map<String, Future<HostStatus>> waiting = new LinkedHashMap<>();
        probes.forEach((name, probe) -> {
            Future<HostStatus> running = executor.submit(probe);
            waiting.put(name, executor.submit(() -> {
                HostStatus shown = settle(name, running, deadline, started);
                eachAnswer.accept(shown);
                return shown;
            }));
        });
        List<HostStatus> out = new ArrayList<>();
        for (Map.Entry<String, Future<HostStatus>> e : waiting.entrySet()) {
            try {
                out.add(e.getValue().get());
            } catch (ExecutionException ex) {
                out.add(failed(e.getKey(), String.valueOf(ex.getCause().getMessage()), started));
            } catch (InterruptedException ex) {
                waiting.values().forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                out.add(failed(e.getKey(), "refresh cancelled", started));
            }
        }
        return out;
    }

    /** Waits for one host until the deadline; its overview, or its last good one marked stale with the reason. */
    private HostStatus settle(String name, Future<HostStatus> running, long deadline, Instant started) {
        String failure;
        try {
            HostStatus s = running.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (s.reachable()) {
                lastGood.put(name, s);
                last.put(name, s);
                return s;
            }
            failure = s.error();
        } catch (TimeoutException ex) {
            running.cancel(true);
            failure = "no answer within " + perHostTimeout.toSeconds() + " s";
        } catch (ExecutionException ex) {
            failure = String.valueOf(ex.getCause().getMessage());
        } catch (InterruptedException ex) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            failure = "refresh cancelled";
        }
        return failed(name, failure, started);
    }

    private HostStatus failed(String name, String failure, Instant started) {
        HostStatus previous = last.get(name);
        Instant since = previous != null && previous.staleSince() != null ? previous.staleSince() : started;
        HostStatus good = lastGood.get(name);
        HostStatus shown = good != null
                ? new HostStatus(name, false, failure, good.checkedAt(), good.instances(), good.timers(),
                        good.failedUnits(), good.metrics(), good.errors(), since, good.probe())
                : new HostStatus(name, false, failure, started, List.of(), null, null, null, null, since, null);
        last.put(name, shown);
        return shown;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
