package dev.pgdeck.remote.drill;

import dev.pgdeck.model.overview.LastDrill;
import java.time.OffsetDateTime;
import java.util.List;

/** One line of pgdeck's drill log: when a drill ran, what it reached and how long recovery took. */
public record DrillRecord(String instance, OffsetDateTime at, String target, String source, String outcome,
                          boolean reached, Integer timeline, Double rtoSeconds, List<Step> steps, int verifyRows) {
    public record Step(String name, double seconds) {
    }

    /** This drill as the status contract's {@code lastDrill}. */
    public LastDrill summary() {
        return new LastDrill(at, target, reached, rtoSeconds);
    }

    public boolean successful() {
        return "SUCCEEDED".equals(outcome) && reached;
    }
}
