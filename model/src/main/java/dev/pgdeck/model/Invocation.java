package dev.pgdeck.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The program a host command starts, and as whom: the login itself, or another user through {@code sudo -n}. What the
 * pre-flight and the host's capabilities ask before anything runs: "can the login start this program this way?".
 *
 * @param runAs null for the login itself; else the user {@code sudo -u} names ({@code root} without {@code -u})
 * @param program the program word as the command gives it (a bare name, found on the PATH, or a path)
 */
public record Invocation(String runAs, String program) {
    /**
     * The invocations of a simple command: the program it starts and, where that is {@code env}, the program env
     * starts (both must be found). {@code sudo -n [-u user] program ...} runs program as user. Empty for a command
     * combined with shell operators (it names no single program).
     */
    public static List<Invocation> of(HostCommand command) {
        return command.words().map(Invocation::of).orElse(List.of());
    }

    /** As {@link #of(HostCommand)}, from the command's words. */
    public static List<Invocation> of(List<String> words) {
        int i = 0;
        String runAs = null;
        if (!words.isEmpty() && words.get(0).equals("sudo")) {
            runAs = "root";
            i = 1;
            while (i < words.size() && words.get(i).startsWith("-")) {
                String option = words.get(i);
                if (option.equals("--")) {
                    i++;
                    break;
                }
                if ((option.equals("-u") || option.equals("--user")) && i + 1 < words.size()) {
                    runAs = words.get(i + 1);
                    i += 2;
                } else if (option.startsWith("-u") && option.length() > 2) {
                    runAs = option.substring(2);
                    i++;
                } else {
                    i++;
                }
            }
        }
        if (i >= words.size()) {
            return List.of();
        }
        List<Invocation> found = new ArrayList<>();
        found.add(new Invocation(runAs, words.get(i)));
        if (words.get(i).equals("env") || words.get(i).endsWith("/env")) {
            int j = i + 1;
            while (j < words.size() && (words.get(j).startsWith("-") || words.get(j).contains("="))) {
                j++;
            }
            if (j < words.size()) {
                found.add(new Invocation(runAs, words.get(j)));
            }
        }
        return found;
    }

    /** The program's name without its directory: {@code pg_waldump} for {@code /usr/lib/postgresql/15/bin/pg_waldump}. */
    public String name() {
        return program.substring(program.lastIndexOf('/') + 1);
    }

    /** For a person: {@code zfs as root through sudo -n}, or {@code systemctl}. */
    public String describe() {
        return runAs == null ? program : program + " as " + runAs + " through sudo -n";
    }

    /** A stable key (for JSON and maps): {@code sudo -u root zfs}, or {@code systemctl}. */
    public String key() {
        return runAs == null ? program : "sudo -u " + runAs + " " + program;
    }
}
