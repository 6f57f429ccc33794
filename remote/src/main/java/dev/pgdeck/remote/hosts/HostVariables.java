package dev.pgdeck.remote.hosts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The variables a host entry may set, each with its type. Every value ends up as one word of a command line (quoted,
 * but quoting does not stop a word that starts with {@code -} from being read as an option: {@code find -delete ...}
 * deletes). So each variable is held to what it names: an absolute path starts with {@code /}, a dataset, unit, host
 * or program name starts with a letter or digit, a version is a number. A path, unit or dataset may use the profile's
 * placeholders after its first character ({@code /srv/pg/{version}/{instance}}, {@code postgresql@{instance}.service}):
 * what it starts with is literal, so it cannot become an option. Unknown names are refused, like unknown members
 * elsewhere in hosts.json, so that a misspelt override is not silently ignored.
 */
public final class HostVariables {
    /** What a variable names, with the rule its value must follow. */
    public enum Kind {
        ABSOLUTE_PATH("an absolute path (starting with /)", Pattern.compile("/[^\\x00-\\x1f\\x7f]*")),
        PROGRAM("a program name or an absolute path", Pattern.compile("(/|[A-Za-z0-9_])[^\\x00-\\x1f\\x7f]*")),
        RESTIC_REPOSITORY("a restic repository (an absolute path or backend:location, e.g. sftp:host:/srv/restic)",
                Pattern.compile("(/|[A-Za-z0-9]+:)[^\\x00-\\x1f\\x7f]*")),
        DATASET("a ZFS dataset name (letters, digits and _ . : - separated by /, starting with a letter or digit)",
                Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:{}-]*(/[A-Za-z0-9_.:{}-]+)*")),
        HOST("a host name (letters, digits and _ . @ -, starting with a letter or digit)",
                Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]*")),
        UNIT("a systemd unit name such as postgresql-main.service",
                Pattern.compile("[A-Za-z0-9_:][A-Za-z0-9_:.@{}\\\\-]*\\.(service|timer|socket|target|mount|path)")),
        NUMBER("a number", Pattern.compile("[0-9]{1,4}")),
        USER("a user name (lower-case letters, digits, _ and -, starting with a letter or _)",
                Pattern.compile("[a-z_][a-z0-9_-]{0,31}")),
        USER_NAMESPACE("-U (run the server in a user namespace) or -- (do not)", Pattern.compile("-U|--"));

        private final String description;
        private final Pattern pattern;

        Kind(String description, Pattern pattern) {
            this.description = description;
            this.pattern = pattern;
        }

        public String description() {
            return description;
        }

        boolean accepts(String value) {
            return pattern.matcher(value).matches();
        }
    }

    private static final Set<String> SECRET_WORDS = Set.of("password", "passphrase", "secret", "token", "privatekey");

    /** Every variable a profile uses that a host may set, by name. */
    private static final Map<String, Kind> KINDS = kinds();

    private HostVariables() {}

    private static Map<String, Kind> kinds() {
        Map<String, Kind> k = new LinkedHashMap<>();
        for (String path : new String[] {"root", "pgBin", "dataDir", "walArchive", "baseBackups", "metricsDir",
                "restorePointLog", "verifyTmp", "drillLog", "instanceLog", "socketDir", "resticPasswordFile",
                "fixtures"}) {
            k.put(path, Kind.ABSOLUTE_PATH);
        }
        k.put("pgVerifyBackup", Kind.PROGRAM);
        k.put("pgWalDump", Kind.PROGRAM);
        k.put("resticRepo", Kind.RESTIC_REPOSITORY);
        k.put("zfsPool", Kind.DATASET);
        k.put("zfsRoot", Kind.DATASET);
        k.put("zfsReplicaRoot", Kind.DATASET);
        k.put("zfsReplicaHost", Kind.HOST);
        k.put("pgHost", Kind.HOST);
        for (String unit : new String[] {"postgresService", "baseBackupService", "baseBackupTimer", "walPruneService",
                "resticWalService", "resticBaseService"}) {
            k.put(unit, Kind.UNIT);
        }
        k.put("version", Kind.NUMBER);
        k.put("serverUser", Kind.USER);
        k.put("userNs", Kind.USER_NAMESPACE);
        return Map.copyOf(k);
    }

    /** The type of the variable {@code name}, or null when hosts.json may not set it. */
    public static Kind kind(String name) {
        return KINDS.get(name);
    }

    /** The variable names a host may set, sorted. */
    public static Set<String> names() {
        return new TreeSet<>(KINDS.keySet());
    }

    /**
     * Why {@code name} cannot be set to {@code value}, as "variables.NAME: ..." (never repeating a value that may be a
     * secret), or null when it can.
     */
    public static String problem(String name, String value) {
        if (isSecret(name) && !name.toLowerCase(Locale.ROOT).endsWith("file")) {
            return "variables." + name + ": pgdeck never stores secrets; give the path of a file that holds it on the"
                    + " host (e.g. resticPasswordFile)";
        }
        Kind kind = KINDS.get(name);
        if (kind == null) {
            return "variables." + name + ": unknown variable, expected one of " + names();
        }
        if (value == null) {
            return "variables." + name + ": expected " + kind.description() + ", got null";
        }
        if (!kind.accepts(value)) {
            boolean option = value.startsWith("-");
            return "variables." + name + ": \"" + printable(value) + "\" is not " + kind.description()
                    + (option ? "; a value starting with - would be read as an option" : "");
        }
        return null;
    }

    static boolean isSecret(String member) {
        String m = member == null ? "" : member.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        return SECRET_WORDS.stream().anyMatch(m::contains);
    }

    /** The value with control characters shown as \\uXXXX and cut to 80 characters: the message stays one line. */
    private static String printable(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (sb.length() >= 80) {
                return sb + "…";
            }
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }

    /**
     * Reads a host's {@code variables} object and checks each value where it stands, so that hosts.json's error names
     * the line and column of the bad value (as it does for every other member).
     */
    static final class Reader extends JsonDeserializer<Map<String, String>> {
        @Override
        public Map<String, String> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw JsonMappingException.from(p, "variables: expected an object of names and text values");
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken token = p.nextToken();
                if (token != JsonToken.VALUE_STRING) {
                    String problem = problem(name, "");
                    if (problem != null && (kind(name) == null || isSecret(name))) {
                        throw JsonMappingException.from(p, problem);
                    }
                    throw JsonMappingException.from(p, "variables." + name + ": expected a text value (\"...\"), got "
                            + (token.isNumeric() ? "a number" : token.isBoolean() ? "true or false"
                            : token == JsonToken.VALUE_NULL ? "null" : "an object or a list"));
                }
                String problem = problem(name, p.getText());
                if (problem != null) {
                    throw JsonMappingException.from(p, problem);
                }
                values.put(name, p.getText());
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw JsonMappingException.from(p, "variables: expected an object of names and text values");
            }
            return values;
        }
    }
}
