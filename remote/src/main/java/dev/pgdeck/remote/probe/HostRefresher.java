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
        Instant started = clock.instant();
        Map<String, Future<HostStatus>> running = new LinkedHashMap<>();
        probes.forEach((name, probe) -> running.put(name, executor.submit(probe)));
        long deadline = System.nanoTime() + perHostTimeout.toNanos();
        List<HostStatus> out = new ArrayList<>();
        for (Map.Entry<String, Future<HostStatus>> e : running.entrySet()) {
            String name = e.getKey();
            String failure;
            try {
                HostStatus s = e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (s.reachable()) {
                    lastGood.put(name, s);
                    last.put(name, s);
                    out.add(s);
                    continue;
                }
                failure = s.error();
            } catch (TimeoutException ex) {
                e.getValue().cancel(true);
                failure = "no answer within " + perHostTimeout.toSeconds() + " s";
            } catch (ExecutionException ex) {
                failure = String.valueOf(ex.getCause().getMessage());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                failure = "refresh cancelled";
            }
            HostStatus previous = last.get(name);
            Instant since = previous != null && previous.staleSince() != null ? previous.staleSince() : started;
            HostStatus good = lastGood.get(name);
            HostStatus shown = good != null
                    ? new HostStatus(name, false, failure, good.checkedAt(), good.instances(), good.timers(),
                            good.failedUnits(), good.metrics(), good.errors(), since, good.probe())
                    : new HostStatus(name, false, failure, started, List.of(), null, null, null, null, since, null);
            last.put(name, shown);
            out.add(shown);
        }
        return out;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
