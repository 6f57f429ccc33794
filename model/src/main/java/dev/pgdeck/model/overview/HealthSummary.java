package dev.pgdeck.model.overview;

import dev.pgdeck.model.health.Health;
import java.util.List;

/** Health for the status contract: {@code state} is "ok", "warn" or "fail"; the reasons in words. */
public record HealthSummary(String state, List<String> reasons) {
    public HealthSummary {
        reasons = List.copyOf(reasons);
    }

    public static HealthSummary of(Health health) {
        return new HealthSummary(health.state().json(), health.reasonTexts());
    }
}
