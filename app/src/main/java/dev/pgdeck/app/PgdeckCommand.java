package dev.pgdeck.app;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pgdeck} with no command opens the console. */
@Command(name = "pgdeck", mixinStandardHelpOptions = true, version = "pgdeck 0.1.0",
        description = "Operator console for PostgreSQL analytics hosts. With no command, opens the console.",
        subcommands = {StatusCommand.class, SandboxCommand.class, IngestCommand.class, ChartCommand.class,
                VerifyBackupCommand.class, RestoreCommand.class, DrillCommand.class, HostsCommand.class})
final class PgdeckCommand implements Callable<Integer> {
    /** Returned when the console took over: the JVM ends when its window closes, not on this exit code. */
    static final int GUI_STARTED = -1;
    /** A command line pgdeck cannot read (an unknown option, a value of the wrong type): picocli's usage code. */
    static final int USAGE = CommandLine.ExitCode.USAGE;
    /** Something failed that no command expected: reported in one line all the same. */
    static final int INTERNAL = 70;

    @Override
    public Integer call() {
        // a bad PGDECK_SANDBOX_* value is one line here, before a window opens (IllegalArgumentException: exit 2)
        dev.pgdeck.remote.sandbox.SandboxSettings.fromEnvironment(System.getenv());
        javafx.application.Application.launch(PgdeckApplication.class);
        return 0;
    }

    /**
     * The command line as {@link Main} runs it: every error is one line on stderr naming the command and what was
     * wrong, never a stack trace or a usage page, and never exit status 0.
     */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PgdeckCommand());
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine sub = e.getCommandLine();
            PrintWriter err = sub.getErr();
            String message = firstLine(e.getMessage());
            int cause = message.indexOf(" (java.");
            // picocli appends the converter's exception, e.g. "(java.time.format.DateTimeParseException: ...)"
            message = cause > 0 ? message.substring(0, cause) : message;
            err.println(sub.getCommandSpec().qualifiedName() + ": " + message
                    + " (see " + sub.getCommandSpec().qualifiedName() + " --help)");
            err.flush();
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, sub, parseResult) -> {
            PrintWriter err = sub.getErr();
            err.println(sub.getCommandSpec().qualifiedName() + ": " + describe(e));
            err.flush();
            return e instanceof IllegalArgumentException ? USAGE : INTERNAL;
        });
        return cli;
    }

    /** One line for any failure: its message's first line, or what kind of failure it was. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return firstLine(t.getMessage());
            }
        }
        String kind = e.getClass().getSimpleName().replaceAll("(Exception|Error)$", "");
        return "an internal error (" + kind + ") with no message; please report it with the command line";
    }

    /** The first line of a message, without the class name a wrapped exception's message starts with. */
    static String firstLine(String message) {
        String s = message == null ? "" : message.strip();
        int newline = s.indexOf('\n');
        s = newline < 0 ? s : s.substring(0, newline).strip();
        return WRAPPED.matcher(s).replaceFirst("");
    }

    private static final java.util.regex.Pattern WRAPPED =
            java.util.regex.Pattern.compile("^([a-z][a-z0-9_]*\\.)+[A-Za-z0-9_$]*(Exception|Error): ");
}
