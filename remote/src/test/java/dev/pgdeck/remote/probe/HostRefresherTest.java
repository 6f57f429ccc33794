package dev.pgdeck.remote.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HostRefresherTest {
    private static HostStatus up(String name) {
        return new HostStatus(name, true, null, Instant.now(), List.of(new InstanceStatus("main", 5432, "15.18", true,
                1L, null, 2, null)));
    }

    @Test
    void aSlowHostShowsItsErrorAndStaleSinceWithoutHoldingUpTheOthers() throws Exception {
        AtomicBoolean flakyUp = new AtomicBoolean(true);
        Map<String, Callable<HostStatus>> probes = new LinkedHashMap<>();
        probes.put("slow", () -> {
            Thread.sleep(10_000);
            return up("slow");
        });
        probes.put("fast", () -> up("fast"));
        probes.put("flaky", () -> {
            if (!flakyUp.get()) {
                throw new IllegalStateException("connection refused");
            }
            return up("flaky");
        });
        try (HostRefresher refresher = new HostRefresher(Duration.ofMillis(500), Clock.systemUTC())) {
            long t0 = System.nanoTime();
            List<HostStatus> first = refresher.refresh(probes);
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertTrue(ms < 2_000, "took " + ms + " ms");
            assertEquals(List.of("slow", "fast", "flaky"), first.stream().map(HostStatus::name).toList());
            HostStatus slow = first.get(0);
            assertFalse(slow.reachable());
            assertEquals("no answer within 0 s", slow.error().replace("0 s", "0 s"));
            Instant slowSince = slow.staleSince();
            assertTrue(slowSince != null);
            assertTrue(first.get(1).reachable());
            assertNull(first.get(1).staleSince());
            assertTrue(first.get(2).reachable());

            flakyUp.set(false);
            Thread.sleep(20);
            List<HostStatus> second = refresher.refresh(probes);

            assertEquals(slowSince, second.get(0).staleSince(), "stale since the first failure, not the latest");
            HostStatus flaky = second.get(2);
            assertFalse(flaky.reachable());
            assertEquals("connection refused", flaky.error());
            assertEquals(first.get(2).instances(), flaky.instances(), "the last good overview is still shown");
            assertEquals(first.get(2).checkedAt(), flaky.checkedAt());
            assertTrue(flaky.staleSince().isAfter(slowSince));

            flakyUp.set(true);
            assertNull(refresher.refresh(Map.of("flaky", probes.get("flaky"))).get(0).staleSince());
        }
    }

    /** The slow host answers only once the fast one's overview was handed over: that must happen while it runs. */
    @Test
    void eachHostIsHandedOverAsSoonAsItAnswers() throws Exception {
        java.util.concurrent.CountDownLatch fastShown = new java.util.concurrent.CountDownLatch(1);
        Map<String, Callable<HostStatus>> probes = new LinkedHashMap<>();
        probes.put("slow", () -> {
            fastShown.await();
            return up("slow");
        });
        probes.put("fast", () -> up("fast"));
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (HostRefresher refresher = new HostRefresher(Duration.ofSeconds(30), Clock.systemUTC())) {
            List<HostStatus> all = refresher.refresh(probes, answered -> {
                order.add(answered.name());
                if (answered.name().equals("fast")) {
                    fastShown.countDown();
                }
            });
            assertEquals(List.of("fast", "slow"), order);
            assertEquals(List.of("slow", "fast"), all.stream().map(HostStatus::name).toList());
            assertTrue(all.get(0).reachable(), "the slow host answered in time");
        }
    }
}
