package dev.pgdeck.model.restore;

import java.util.List;

/**
 * The verdict on a target with one backup: refusals (reasons in words: the target cannot be reached) and warnings
 * (it can, but the operator should know). Valid exactly when there is no refusal.
 */
public record TargetCheck(List<String> refusals, List<String> warnings) {
    public TargetCheck {
        refusals = List.copyOf(refusals);
        warnings = List.copyOf(warnings);
    }

    public boolean valid() {
        return refusals.isEmpty();
    }

    /** The refusals joined for one message line. */
    public String reason() {
        return String.join("; ", refusals);
    }
}
