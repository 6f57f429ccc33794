package dev.pgdeck.model.restore;

import dev.pgdeck.model.backup.BaseBackup;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Picks the base backup for a target: the newest one from which the target is valid (its stop is before the
 * target, and the WAL from there reaches it). The operator may choose any other of {@link #validBackups}.
 */
public final class BackupChooser {
    private final TargetValidator validator;

    public BackupChooser(TargetValidator validator) {
        this.validator = validator;
    }

    /** Backups the target can be recovered from, newest first. */
    public List<BaseBackup> validBackups(RecoveryTarget target, int timeline, RecoveryFacts facts) {
        return facts.backups().stream()
                .filter(BaseBackup::isComplete)
                .sorted(Comparator.comparing(BaseBackup::stopLsn).reversed())
                .filter(b -> validator.check(target, b, timeline, facts).valid())
                .toList();
    }

    public Optional<BaseBackup> choose(RecoveryTarget target, int timeline, RecoveryFacts facts) {
        return validBackups(target, timeline, facts).stream().findFirst();
    }

    /**
     * Why no backup fits: the verdict against the newest complete backup whose stop is before the target (or the
     * newest at all), so the refusal names the real obstacle.
     */
    public TargetCheck explain(RecoveryTarget target, int timeline, RecoveryFacts facts) {
        List<BaseBackup> complete = facts.backups().stream().filter(BaseBackup::isComplete)
                .sorted(Comparator.comparing(BaseBackup::stopLsn).reversed()).toList();
        if (complete.isEmpty()) {
            return new TargetCheck(List.of("there is no complete base backup to recover from"), List.of());
        }
        TargetCheck best = null;
        for (BaseBackup b : complete) {
            TargetCheck c = validator.check(target, b, timeline, facts);
            if (c.valid()) {
                return c;
            }
            boolean beforeBackup = c.reason().contains("before backup");
            if (best == null || !beforeBackup) {
                best = c;
                if (!beforeBackup) {
                    break;
                }
            }
        }
        return best;
    }
}
