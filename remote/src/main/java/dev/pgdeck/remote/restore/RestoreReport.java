package dev.pgdeck.remote.restore;

import dev.pgdeck.model.restore.RecoveryProgress;
import dev.pgdeck.model.restore.RestoreMode;
import java.util.List;

/**
 * The account of a restore: every step with its outcome and seconds, whether the target was reached, the timeline
 * the restored server writes, the rows of the operator's query, and the recovery time (from the first step to the
 * server accepting writes). {@code account} says in words what was done and what was not.
 */
public record RestoreReport(String instance, RestoreMode mode, String target, Outcome outcome, boolean reached,
                            Integer timeline, List<StepResult> steps, List<List<String>> verifyRows,
                            Double rtoSeconds, RecoveryProgress progress, String asideDir, boolean putBack,
                            String account) {
    public enum Outcome { SUCCEEDED, FAILED, CANCELLED }

    public RestoreReport {
        steps = List.copyOf(steps);
        verifyRows = verifyRows == null ? List.of() : verifyRows.stream().map(List::copyOf).toList();
    }

    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }
}
