package dev.pgdeck.model.restore;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.backup.BaseBackup;
import java.util.List;
import java.util.Map;

/**
 * An ordered restore, every command exactly as it will run. {@code workDir} is the data directory being restored
 * into (the instance's own for in place, a scratch copy for a drill); {@code asideDir} where the replaced data goes
 * (in place only, else null); {@code port} the port the restored server listens on. {@code source} says where the
 * data comes from (a base backup, a ZFS snapshot); {@code backup} is null when it is not a base backup.
 */
public record RestorePlan(String host, String instance, RestoreMode mode, RecoveryTarget target, int timeline,
                          String source, BaseBackup backup, String dataDir, String workDir, String asideDir, int port,
                          Map<String, String> settings, List<RestoreStep> steps, List<String> warnings) {
    public RestorePlan {
        settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
    }

    /**
     * The plan as a POSIX shell script an operator can copy and run: {@code set -eu}, every value quoted, the wait
     * for promotion as a loop on the same check the executor polls.
     */
    public String toShellScript() {
        StringBuilder sb = new StringBuilder();
        sb.append("#!/bin/sh\n");
        sb.append("# pgdeck ").append(mode == RestoreMode.DRILL ? "recovery drill" : "in-place restore")
                .append(" of instance ").append(comment(instance)).append(" on ").append(comment(host)).append('\n');
        sb.append("# target: ").append(comment(target.describe()))
                .append(timeline > 0 ? ", timeline " + timeline : "")
                .append(", from ").append(comment(source)).append('\n');
        for (String w : warnings) {
            sb.append("# warning: ").append(comment(w)).append('\n');
        }
        sb.append("set -eu\n");
        int n = 0;
        for (RestoreStep step : steps) {
            n++;
            sb.append("\n# ").append(n).append(". ").append(comment(step.name())).append('\n');
            if (!step.explanation().isEmpty()) {
                sb.append("#    ").append(comment(step.explanation())).append('\n');
            }
            for (HostCommand c : step.commands()) {
                switch (step.kind()) {
                    case RUN, VERIFY -> sb.append(c.shellLine()).append('\n');
                    case AWAIT_PROMOTION -> sb.append("until [ \"$(").append(c.shellLine())
                            .append(" 2>/dev/null || true)\" = f ]; do sleep 2; done\n");
                    case AWAIT_PAUSE -> sb.append("until [ \"$(").append(c.shellLine())
                            .append(" 2>/dev/null || true)\" = paused ]; do sleep 2; done\n");
                }
            }
        }
        return sb.toString();
    }

    /** Comments hold text on one line: a newline in a value must not start a command. */
    private static String comment(String text) {
        return text.replace('\n', ' ').replace('\r', ' ');
    }
}
