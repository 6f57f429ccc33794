package dev.pgdeck.remote.pg;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A PostgreSQL cluster on this machine, driven through {@code initdb} and {@code pg_ctl} on a {@link HostShell}.
 * PostgreSQL refuses to run as root; when pgdeck itself runs as root, the server commands run in a new user
 * namespace ({@code unshare -U}), where they are not root, instead of weakening anything.
 */
public final class LocalCluster {
    private static final Duration SERVER_TIMEOUT = Duration.ofSeconds(90);

    private final HostShell shell;
    private final PgBinaries binaries;
    private final Path dataDir;
    private final Path serverLog;
    private final List<String> serverPrefix;

    public LocalCluster(HostShell shell, PgBinaries binaries, Path dataDir, Path serverLog) {
        this.shell = shell;
        this.binaries = binaries;
        this.dataDir = dataDir;
        this.serverLog = serverLog;
        this.serverPrefix = CurrentUser.isRoot() ? List.of("unshare", "-U") : List.of();
    }

    public Path dataDir() {
        return dataDir;
    }

    public void initdb() throws HostCommandException {
        require(server(HostCommand.of(binaries.tool("initdb").toString(), "-D", dataDir.toString(), "-U", "postgres",
                "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")), "initdb");
    }

    public void start() throws HostCommandException {
        require(server(HostCommand.of(binaries.tool("pg_ctl").toString(), "-D", dataDir.toString(), "-l",
                serverLog.toString(), "-w", "-t", "60", "start")), "starting PostgreSQL (see " + serverLog + ")");
    }

    /** Fast shutdown: open transactions roll back, the server checkpoints and exits cleanly. */
    public void stop() throws HostCommandException {
        require(server(HostCommand.of(binaries.tool("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast",
                "-w", "-t", "60", "stop")), "stopping PostgreSQL");
    }

    public boolean isRunning() throws HostCommandException {
        return server(HostCommand.of(binaries.tool("pg_ctl").toString(), "-D", dataDir.toString(), "status"))
                .succeeded();
    }

    /**
     * Whether the server accepts connections on {@code port}: a JDBC login as postgres (the sandbox trusts it), as
     * {@code pg_isready} would tell, which the embedded binaries lack. A server still starting up refuses.
     */
    public boolean acceptsConnections(int port) {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName("postgres");
        ds.setUser("postgres");
        ds.setApplicationName("pgdeck-ready-check");
        ds.setConnectTimeout(3);
        ds.setSocketTimeout(5);
        ds.setLoginTimeout(5);
        try (java.sql.Connection c = ds.getConnection()) {
            return true;
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    /**
     * What became of the postmaster named in {@code postmaster.pid} when pg_ctl still calls it running but it does not
     * answer: {@code "zombie"} (killed, not yet reaped by its parent: pg_ctl and PostgreSQL both still see it),
     * {@code "gone"}, or null when it lives (or this machine has no /proc to tell).
     */
    public String postmasterFate() {
        try {
            long pid = postmasterPid();
            if (pid <= 0 || !Files.isDirectory(Path.of("/proc/self"))) {
                return null;
            }
            Path stat = Path.of("/proc", Long.toString(pid), "stat");
            if (!Files.exists(stat)) {
                return "gone";
            }
            String text = Files.readString(stat);
            int close = text.lastIndexOf(')');
            char state = close > 0 && close + 2 < text.length() ? text.charAt(close + 2) : '?';
            return state == 'Z' || state == 'X' ? "zombie" : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The PID on the first line of postmaster.pid, or -1. */
    public long postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The PIDs of live processes working in the data directory (every PostgreSQL process has it as its working
     * directory): server processes a killed postmaster left behind. Empty when there is no /proc.
     */
    public List<Long> processesInDataDir() {
        Path proc = Path.of("/proc");
        List<Long> pids = new java.util.ArrayList<>();
        Path dir;
        try {
            dir = dataDir.toRealPath();
        } catch (IOException e) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> entries = Files.list(proc)) {
            for (Path entry : entries.filter(e -> e.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    if (Files.readSymbolicLink(entry.resolve("cwd")).equals(dir)) {
                        String stat = Files.readString(entry.resolve("stat"));
                        int close = stat.lastIndexOf(')');
                        if (close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) != 'Z') {
                            pids.add(Long.parseLong(entry.getFileName().toString()));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // another user's process, or one that just ended: not ours
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return pids;
    }

    /** The server's version, e.g. {@code 15.18}, from {@code postgres --version}. */
    public String serverVersion() throws HostCommandException {
        CommandResult result = require(shell.run(HostCommand.of(binaries.tool("postgres").toString(), "--version"),
                Duration.ofSeconds(20)), "reading the PostgreSQL version");
        return PgVersion.fromVersionOutput(result.stdout());
    }

    private CommandResult server(HostCommand command) throws HostCommandException {
        return shell.run(command.prefixedBy(serverPrefix), SERVER_TIMEOUT);
    }

    private static CommandResult require(CommandResult result, String what) throws HostCommandException {
        if (!result.succeeded()) {
            throw new HostCommandException(what + " failed: " + result.describeFailure());
        }
        return result;
    }
}
