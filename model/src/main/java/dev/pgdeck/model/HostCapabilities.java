package dev.pgdeck.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a host can do, read before anything is planned on it (issue 12: capabilities before consequences): for each
 * program the host's profile runs, as it runs it (the login itself, or through {@code sudo -n} as root or postgres),
 * whether the login can start it; which of the tools a restore may need are there; and the free space where
 * restores write.
 *
 * @param runs by {@link Invocation#key()}: whether that program can be started that way (found, and allowed by sudo)
 * @param tools by tool name ({@link #TOOLS}): true when every way the profile runs it works; absent when the profile
 *              never runs it
 * @param freeKb kilobytes available, by directory
 */
public record HostCapabilities(Map<String, Boolean> runs, Map<String, Boolean> tools, Map<String, Long> freeKb) {
    /** The tools whose presence changes what pgdeck plans or shows. */
    public static final List<String> TOOLS = List.of("zfs", "restic", "systemctl", "pg_waldump", "pg_verifybackup");

    public HostCapabilities {
        runs = Map.copyOf(runs);
        tools = Map.copyOf(tools);
        freeKb = Map.copyOf(freeKb);
    }

    /** Capabilities from what each invocation answered; tools are derived from the invocations' program names. */
    public static HostCapabilities of(Map<Invocation, Boolean> answers, Map<String, Long> freeKb) {
        Map<String, Boolean> runs = new LinkedHashMap<>();
        Map<String, Boolean> tools = new LinkedHashMap<>();
        answers.forEach((invocation, ok) -> {
            runs.put(invocation.key(), ok);
            if (TOOLS.contains(invocation.name())) {
                tools.merge(invocation.name(), ok, Boolean::logicalAnd);
            }
        });
        return new HostCapabilities(runs, tools, freeKb);
    }

    /** Whether the tool is there and runs every way the profile runs it. */
    public boolean has(String tool) {
        return Boolean.TRUE.equals(tools.get(tool));
    }

    /** Whether this invocation is known to work; false when it failed or was not asked. */
    public boolean runs(Invocation invocation) {
        return Boolean.TRUE.equals(runs.get(invocation.key()));
    }

    /** The invocations that were asked and failed, for a message: {@code zfs as root through sudo -n}. */
    public List<String> failing() {
        return runs.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).sorted().toList();
    }
}
