package dev.pgdeck.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code pgdeck} with no command opens the console. */
@Command(name = "pgdeck", mixinStandardHelpOptions = true, version = "pgdeck 0.1.0",
        description = "Operator console for PostgreSQL analytics hosts. With no command, opens the console.",
        subcommands = {StatusCommand.class, SandboxCommand.class, IngestCommand.class, ChartCommand.class,
                VerifyBackupCommand.class, RestoreCommand.class, DrillCommand.class, HostsCommand.class})
final class PgdeckCommand implements Callable<Integer> {
    /** Returned when the console took over: the JVM ends when its window closes, not on this exit code. */
    static final int GUI_STARTED = -1;

    @Override
    public Integer call() {
        javafx.application.Application.launch(PgdeckApplication.class);
        return 0;
    }
}
