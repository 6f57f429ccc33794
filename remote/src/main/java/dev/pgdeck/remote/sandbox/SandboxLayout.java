package dev.pgdeck.remote.sandbox;

import java.nio.file.Path;

/** The sandbox's files, laid out like a seed-002 host under {@code root}. */
public record SandboxLayout(Path root, String majorVersion) {
    public static final String INSTANCE = "main";

    public Path dataDir() {
        return root.resolve("var/lib/postgresql").resolve(majorVersion).resolve(INSTANCE);
    }

    public Path walArchive() {
        return root.resolve("var/lib/postgresql").resolve(majorVersion).resolve(INSTANCE + "-wal-archive");
    }

    public Path baseBackups() {
        return root.resolve("var/backup/postgresql").resolve(INSTANCE);
    }

    public Path serverLog() {
        return root.resolve("var/log/postgresql").resolve("postgresql-" + majorVersion + "-" + INSTANCE + ".log");
    }

    public Path socketDir() {
        return root.resolve("run/postgresql");
    }

    /** Written last by a complete initialisation; its absence means the sandbox must be (re)built. */
    public static Path stateFile(Path root) {
        return root.resolve("sandbox.json");
    }
}
