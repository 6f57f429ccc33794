package dev.pgdeck.remote.probe;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCapabilities;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.Invocation;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.hosts.HostProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a host, in one command that changes nothing, whether the login can start each program the way pgdeck would
 * (issue 12, finding 1: a restore stopped production, then found {@code zfs} missing): a program the login runs
 * itself must be on its PATH ({@code command -v}); one run through {@code sudo -n [-u user]} must be allowed by sudo
 * without a password and found on sudo's secure_path ({@code sudo -n -l [-u user] program}, which runs nothing). It
 * also reads the free space of directories ({@code df -Pk}).
 */
public final class CapabilitiesProbe {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");
    private static final String SCRIPT = """
            # pgdeck capabilities: "run <user|-> <program>" and "df <dir>" pairs; prints one answer a line
            while [ $# -gt 1 ]; do
              what=$1; shift
              if [ "$what" = df ]; then
                kb=$(df -Pk "$1" 2>/dev/null | awk 'NR == 2 { print $4 }')
                printf 'df\\t%s\\t%s\\n' "${kb:--}" "$1"; shift; continue
              fi
              u=$1; p=$2; shift 2
              if [ "$u" = - ]; then command -v "$p" >/dev/null 2>&1
              else sudo -n -l -u "$u" -- "$p" >/dev/null 2>&1; fi
              if [ $? -eq 0 ]; then r=yes; else r=no; fi
              printf 'run\\t%s\\t%s\\t%s\\n' "$r" "$u" "$p"
            done
            """;

    private CapabilitiesProbe() {}

    /** The one command asking about {@code invocations} and the free space of {@code dirs}. */
    public static HostCommand command(Iterable<Invocation> invocations, Iterable<String> dirs) {
        List<String> words = new ArrayList<>(List.of("sh", "-c", SCRIPT, "pgdeck-capabilities"));
        for (Invocation i : invocations) {
            words.addAll(List.of("run", i.runAs() == null ? "-" : i.runAs(), i.program()));
        }
        for (String dir : dirs) {
            words.addAll(List.of("df", dir));
        }
        return HostCommand.of(words);
    }

    /** Reads the command's output; an invocation without an answer counts as not runnable. */
    public static HostCapabilities parse(String out, Iterable<Invocation> asked) {
        Map<Invocation, Boolean> answers = new LinkedHashMap<>();
        for (Invocation i : asked) {
            answers.put(i, false);
        }
        Map<String, Long> free = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length == 4 && f[0].equals("run")) {
                Invocation i = new Invocation(f[2].equals("-") ? null : f[2], f[3]);
                if (answers.containsKey(i)) {
                    answers.put(i, f[1].equals("yes"));
                }
            } else if (f.length == 3 && f[0].equals("df") && f[1].matches("[0-9]+")) {
                free.put(f[2], Long.valueOf(f[1]));
            }
        }
        return HostCapabilities.of(answers, free);
    }

    /** Asks the host about {@code invocations} and {@code dirs}. */
    public static HostCapabilities read(HostShell shell, Set<Invocation> invocations, Set<String> dirs)
            throws HostCommandException {
        CommandResult r = shell.run(command(invocations, dirs), Duration.ofSeconds(60));
        if (!r.succeeded()) {
            throw new HostCommandException("reading what the host can run failed: " + r.describeFailure());
        }
        return parse(r.stdout(), invocations);
    }

    /**
     * Every program {@code profile}'s commands start on a host with {@code hostValues} (a program word with a
     * placeholder the host gives no value is left out), and {@code pg_waldump} and the profile's
     * {@code pgVerifyBackup}, as its SQL and backup verification run.
     */
    public static Set<Invocation> ofProfile(HostProfile profile, Map<String, String> hostValues) {
        Set<Invocation> all = new LinkedHashSet<>();
        for (String name : profile.commands().keySet().stream().sorted().toList()) {
            List<String> words = new ArrayList<>();
            for (String word : profile.commands().get(name)) {
                words.add(expand(word, hostValues));
            }
            all.addAll(Invocation.of(words));
        }
        String runAs = profile.has("sql") ? Invocation.of(List.copyOf(profile.commands().get("sql"))).stream()
                .findFirst().map(Invocation::runAs).orElse(null) : null;
        // pg_waldump as the profile's walDump command runs it (pgWalDump), else beside the other PostgreSQL binaries
        String pgBin = hostValues.get("pgBin");
        String walDump = hostValues.get("pgWalDump");
        all.add(new Invocation(runAs, walDump != null ? walDump
                : pgBin == null ? "pg_waldump" : pgBin + "/pg_waldump"));
        String verify = hostValues.get("pgVerifyBackup");
        if (verify != null) {
            all.add(new Invocation(runAs, verify));
        }
        // a program word still holding a placeholder (a value only an instance or a call gives) is not asked about
        all.removeIf(i -> i.program().contains("{"));
        return all;
    }

    /** Reads the capabilities of a host for {@code profile}, with the free space of {@code dirs}. */
    public static HostCapabilities read(HostShell shell, HostProfile profile, Map<String, String> hostValues,
                                        Set<String> dirs) throws HostCommandException {
        return read(shell, ofProfile(profile, hostValues), dirs);
    }

    private static String expand(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                return template;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
