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

    /**
     * The newest valid backup, except for targets that cannot be placed ahead (a transaction id, a restore point
     * pgdeck did not log): those may lie anywhere after any backup, so the oldest backup whose WAL runs without a
     * gap to the end of the archive is taken, which reaches every such target the archive holds.
     */
    public Optional<BaseBackup> choose(RecoveryTarget target, int timeline, RecoveryFacts facts) {
        List<BaseBackup> valid = validBackups(target, timeline, facts);
        boolean unplaced = target.kind() == RecoveryTarget.Kind.XID
                || (target.kind() == RecoveryTarget.Kind.NAME && !facts.restorePoints().containsKey(target.text()));
        if (unplaced) {
            var window = facts.windows().timeline(timeline);
            for (int i = valid.size() - 1; i >= 0 && window.isPresent(); i--) {
                var run = TargetValidator.runOf(window.get(), valid.get(i));
                if (run.isPresent() && run.get().stoppedAt() == null) {
                    return Optional.of(valid.get(i));
                }
            }
        }
        return valid.stream().findFirst();
    }

    /**
     * Why no backup fits: the verdict against the newest complete backup whose stop is before the target (or the
     * oldest, when the target is before every backup), so the refusal names the real obstacle.
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
            // a target before this backup is judged by an older one; before every one, by the oldest (which then
            // says that no older backup exists)
            best = c;
            if (!c.reason().contains("before backup")) {
                break;
            }
        }
        return best;
    }
}
