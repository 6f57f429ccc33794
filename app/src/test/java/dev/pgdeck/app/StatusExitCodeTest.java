package dev.pgdeck.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.overview.HealthSummary;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `pgdeck status` exits non-zero when something needs the operator (issue 13, finding 5; README's command line). */
class StatusExitCodeTest {
    private static InstanceStatus instance(boolean running, String health) {
        return new InstanceStatus("main", 5432, "16.4", running, null, null, 2, running ? null : "not running", null,
                null, null, null, null, null, null, health == null ? null : new HealthSummary(health, List.of()),
                null, null, null, null);
    }

    private static HostStatus host(boolean reachable, InstanceStatus... instances) {
        return new HostStatus("forge", reachable, reachable ? null : "no SSH banner", Instant.EPOCH, List.of(instances));
    }

    @Test
    void healthyAndWarnAreZeroDownFailAndUnreachableAreOne() {
        assertEquals(0, StatusCommand.exitCode(List.of(host(true, instance(true, "ok"), instance(true, "warn")))));
        assertEquals(0, StatusCommand.exitCode(List.of(host(true, instance(true, null)))), "no health read: not fail");
        assertEquals(1, StatusCommand.exitCode(List.of(host(true, instance(true, "ok"), instance(false, null)))),
                "an instance down");
        assertEquals(1, StatusCommand.exitCode(List.of(host(true, instance(true, "fail")))), "health fail");
        assertEquals(1, StatusCommand.exitCode(List.of(host(true, instance(true, "ok")), host(false))),
                "a host unreachable");
        assertEquals(StatusCommand.ATTENTION, 1);
        assertEquals(StatusCommand.COULD_NOT_CHECK, 2);
    }
}
