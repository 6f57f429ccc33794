package dev.pgdeck.remote.pg;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
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
