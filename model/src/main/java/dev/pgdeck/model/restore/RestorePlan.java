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
 * {@code tablespaces} are the restored copy's tablespaces (OID to the directory its {@code pg_tblspc} link points
 * at); {@code replacedTablespaces} the instance's own that an in-place restore moved aside with the data directory
 * (OID to the live location; kept at {@link #kept(String)} of it).
 */
public record RestorePlan(String host, String instance, RestoreMode mode, RecoveryTarget target, int timeline,
                          String source, BaseBackup backup, String dataDir, String workDir, String asideDir, int port,
                          Map<String, String> settings, List<RestoreStep> steps, List<String> warnings,
                          Map<String, String> tablespaces, Map<String, String> replacedTablespaces) {
    public RestorePlan {
        settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
        tablespaces = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tablespaces));
        replacedTablespaces = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(replacedTablespaces));
    }

    /** A plan that handles no tablespace. */
    public RestorePlan(String host, String instance, RestoreMode mode, RecoveryTarget target, int timeline,
                       String source, BaseBackup backup, String dataDir, String workDir, String asideDir, int port,
                       Map<String, String> settings, List<RestoreStep> steps, List<String> warnings) {
        this(host, instance, mode, target, timeline, source, backup, dataDir, workDir, asideDir, port, settings,
                steps, warnings, Map.of(), Map.of());
    }

    /** This plan with other steps (and warnings), everything else kept. */
    public RestorePlan withSteps(List<RestoreStep> newSteps, List<String> newWarnings) {
        return new RestorePlan(host, instance, mode, target, timeline, source, backup, dataDir, workDir, asideDir,
                port, settings, newSteps, newWarnings, tablespaces, replacedTablespaces);
    }

    /**
     * Where an in-place restore keeps the live directory {@code location} it moved aside: {@code location} with the
     * suffix of the kept data directory ({@code .pre-restore-<ts>}), so that the two are found together.
     */
    public String kept(String location) {
        if (asideDir == null || !asideDir.startsWith(dataDir + ".")) {
            throw new IllegalStateException("this plan keeps nothing aside");
        }
        return location + asideDir.substring(dataDir.length());
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
