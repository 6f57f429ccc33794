package dev.pgdeck.model.health;

import java.util.List;

/** The overall state (the worst finding) and every finding that is not OK. */
public record Health(HealthState state, List<HealthReason> reasons) {
    public Health {
        reasons = List.copyOf(reasons);
    }

    public static Health of(List<HealthReason> reasons) {
        HealthState state = HealthState.OK;
        for (HealthReason r : reasons) {
            state = state.worse(r.state());
        }
        return new Health(state, reasons);
    }

    public List<String> reasonTexts() {
        return reasons.stream().map(HealthReason::text).toList();
    }
}
