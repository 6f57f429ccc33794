package dev.pgdeck.remote.sandbox;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Where the sandbox lives and how big it is. From the environment: {@code PGDECK_SANDBOX_ROOT} (default
 * {@code $XDG_DATA_HOME/pgdeck/sandbox}, i.e. {@code ~/.local/share/pgdeck/sandbox}), {@code PGDECK_SANDBOX_EVENTS}
 * (synthetic events, default 20,000) and {@code PGDECK_SANDBOX_PORT} (default: the first free port from 54320).
 */
public record SandboxSettings(Path root, int events, OptionalInt port) {
    public static final int DEFAULT_EVENTS = 20_000;

    /** More would take minutes to generate and gigabytes to keep; the sandbox is for trying things. */
    public static final int MAX_EVENTS = 5_000_000;

    public SandboxSettings {
        if (events < 100 || events > MAX_EVENTS) {
            throw new IllegalArgumentException("PGDECK_SANDBOX_EVENTS: the sandbox takes 100 to " + MAX_EVENTS
                    + " synthetic events, not " + events);
        }
        if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("PGDECK_SANDBOX_PORT: " + port.getAsInt()
                    + " is not a TCP port (1-65535)");
        }
    }

    public static SandboxSettings fromEnvironment(Map<String, String> env) {
        Path root = env.containsKey("PGDECK_SANDBOX_ROOT")
                ? Path.of(env.get("PGDECK_SANDBOX_ROOT"))
                : dataHome(env).resolve("pgdeck").resolve("sandbox");
        int events = parse(env, "PGDECK_SANDBOX_EVENTS", DEFAULT_EVENTS);
        OptionalInt port = env.containsKey("PGDECK_SANDBOX_PORT")
                ? OptionalInt.of(parse(env, "PGDECK_SANDBOX_PORT", 0))
                : OptionalInt.empty();
        return new SandboxSettings(root, events, port);
    }

    private static Path dataHome(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg);
        }
        return Path.of(System.getProperty("user.home"), ".local", "share");
    }

    private static int parse(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.strip();
        if (v.matches("-?[0-9]{10,}")) {
            throw new IllegalArgumentException(name + ": " + (v.length() > 40 ? v.substring(0, 40) + "…" : v)
                    + " is out of range");
        }
        if (!v.matches("-?[0-9]{1,9}")) {
            throw new IllegalArgumentException(name + " must be a whole number, not \""
                    + (v.length() > 40 ? v.substring(0, 40) + "…" : v).replaceAll("\\p{Cntrl}", "?") + "\"");
        }
        return Integer.parseInt(v);
    }
}
