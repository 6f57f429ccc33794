package dev.pgdeck.remote.hosts;

import com.fasterxml.jackson.core.JacksonException;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host profile (data, not code, DESIGN.md): the paths, unit names and command templates of one kind of host. A
 * template is a list of words; {@code {name}} placeholders are replaced by values (the profile's variables, the host's
 * overrides, the instance's {@code instance}, {@code port} and {@code version}, then the expanded paths), each word
 * is then shell-quoted on its own by {@link HostCommand}. A value is never expanded again, so whatever an instance or
 * path is called reaches the host as a literal. A host entry's value for a path or unit replaces the profile's template
 * and may use the same placeholders (a host whose data directories live under {@code /srv/pg/{version}/{instance}}).
 *
 * @param variables defaults a host entry may override (e.g. {@code pgBin}, {@code resticRepo})
 * @param paths per-instance paths: {@code dataDir}, {@code walArchive}, {@code baseBackups}, and host paths such as
 *              {@code metricsDir}
 * @param units per-instance unit names, e.g. {@code baseBackupService}
 * @param expectedTimers timer units that must be scheduled for each instance
 * @param zfsDatasets the datasets of each instance
 * @param commands command templates by name; a command a profile leaves out is not run (e.g. no ZFS on Debian)
 */
public record HostProfile(String name, String description, Map<String, String> variables, Map<String, String> paths,
                          Map<String, String> units, List<String> expectedTimers, List<String> zfsDatasets,
                          Map<String, List<String>> commands) {
    /** Profiles shipped with pgdeck, under {@code /dev/pgdeck/profiles/<name>.json}. */
    public static final List<String> BUILT_IN = List.of("seed002", "debian", "sandbox");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

    public HostProfile {
        variables = variables == null ? Map.of() : Map.copyOf(variables);
        paths = paths == null ? Map.of() : new LinkedHashMap<>(paths);
        units = units == null ? Map.of() : new LinkedHashMap<>(units);
        expectedTimers = expectedTimers == null ? List.of() : List.copyOf(expectedTimers);
        zfsDatasets = zfsDatasets == null ? List.of() : List.copyOf(zfsDatasets);
        commands = commands == null ? Map.of() : Map.copyOf(commands);
    }

    public static HostProfile builtIn(String name) {
        if (!BUILT_IN.contains(name)) {
            throw new IllegalArgumentException("unknown host profile \"" + name + "\"; known: " + BUILT_IN);
        }
        try (InputStream in = HostProfile.class.getResourceAsStream("/dev/pgdeck/profiles/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("host profile resource " + name + ".json is missing from the build");
            }
            return Json.mapper().readValue(in, HostProfile.class);
        } catch (JacksonException e) {
            throw new IllegalStateException("host profile " + name + ".json is malformed: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("host profile " + name + ".json could not be read: " + e.getMessage(), e);
        }
    }

    public boolean has(String command) {
        return commands.containsKey(command);
    }

    /** The values for one instance on a host: profile variables, host overrides, instance values, expanded paths. */
    public Map<String, String> values(Map<String, String> hostOverrides, String instance, int port) {
        Map<String, String> values = new HashMap<>(variables);
        values.putAll(hostOverrides);
        if (instance != null) {
            values.put("instance", instance);
            values.put("port", Integer.toString(port));
        }
        Map<String, String> expanded = new HashMap<>(values);
        // a host's own value for a path or unit is a template too (e.g. "/srv/pg/{version}/{instance}"), expanded
        // in the same single pass: an instance's name is still copied as it is, never scanned again
        for (Map.Entry<String, String> p : paths.entrySet()) {
            String template = hostOverrides.getOrDefault(p.getKey(), p.getValue());
            String path = expandOptional(template, expanded, "path " + p.getKey());
            if (path != null) {
                expanded.put(p.getKey(), path);
            }
        }
        for (Map.Entry<String, String> u : units.entrySet()) {
            String template = hostOverrides.getOrDefault(u.getKey(), u.getValue());
            String unit = expandOptional(template, expanded, "unit " + u.getKey());
            if (unit != null) {
                expanded.put(u.getKey(), unit);
            }
        }
        return expanded;
    }

    /** The path named {@code key} for these values, or null when the profile has none (or it needs an instance). */
    public String path(String key, Map<String, String> values) {
        return values.get(key);
    }

    public List<String> expectedTimers(Map<String, String> values) {
        return expandAll(expectedTimers, values, "expectedTimers");
    }

    public List<String> zfsDatasets(Map<String, String> values) {
        return expandAll(zfsDatasets, values, "zfsDatasets");
    }

    public String unit(String key, Map<String, String> values) {
        String template = units.get(key);
        return template == null ? null : expand(template, values, "unit " + key);
    }

    /**
     * The command {@code name} with its placeholders replaced; {@code extra} adds values for this call only (e.g. the
     * {@code sql} text). Throws when the profile has no such command or a placeholder has no value.
     */
    public HostCommand command(String name, Map<String, String> values, Map<String, String> extra) {
        List<String> template = commands.get(name);
        if (template == null || template.isEmpty()) {
            throw new IllegalArgumentException("host profile " + this.name + " has no command \"" + name + "\"");
        }
        Map<String, String> all = extra.isEmpty() ? values : merged(values, extra);
        List<String> words = new ArrayList<>(template.size());
        for (String word : template) {
            String expanded = expand(word, all, "command " + name);
            refuseOption(name, word, expanded, extra);
            words.add(expanded);
        }
        return HostCommand.of(words);
    }

    /**
     * A word that starts with a host's value must not start with {@code -}: the program would read it as an option
     * ({@code find -delete ...}). hosts.json refuses such values when it is read ({@link HostVariables}); this is the
     * second wall, for values that reach a profile some other way. Values pgdeck adds for one call ({@code extra}:
     * SQL text, lines to append) are placed after {@code -c}, {@code --} or {@code sh -c '...' sh} by the templates.
     */
    private void refuseOption(String command, String word, String expanded, Map<String, String> extra) {
        Matcher m = PLACEHOLDER.matcher(word);
        if (!expanded.startsWith("-") || !m.lookingAt() || extra.containsKey(m.group(1))
                || HostVariables.kind(m.group(1)) == HostVariables.Kind.USER_NAMESPACE) {
            return;
        }
        throw new IllegalArgumentException("host profile " + name + ": command " + command + ": {" + m.group(1)
                + "} is \"" + expanded.lines().findFirst().orElse("") + "\", which the program would read as an option;"
                + " refused (set variables." + m.group(1) + " to " + describe(m.group(1)) + ")");
    }

    private static String describe(String key) {
        HostVariables.Kind kind = HostVariables.kind(key);
        return kind == null ? "a value that does not start with -" : kind.description();
    }

    public HostCommand command(String name, Map<String, String> values) {
        return command(name, values, Map.of());
    }

    private List<String> expandAll(List<String> templates, Map<String, String> values, String what) {
        return templates.stream().map(t -> expand(t, values, what)).toList();
    }

    private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new HashMap<>(a);
        m.putAll(b);
        return m;
    }

    private String expand(String template, Map<String, String> values, String what) {
        String s = expandOptional(template, values, what);
        if (s == null) {
            Matcher m = PLACEHOLDER.matcher(template);
            String missing = "";
            while (m.find()) {
                if (values.get(m.group(1)) == null) {
                    missing = m.group(1);
                    break;
                }
            }
            throw new IllegalArgumentException("host profile " + name + ": " + what + " uses {" + missing
                    + "}, which has no value here (set it in the host's variables)");
        }
        return s;
    }

    /** Single pass: replacement values are copied as they are, never scanned for placeholders. Null if one is missing. */
    private static String expandOptional(String template, Map<String, String> values, String what) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                return null;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
