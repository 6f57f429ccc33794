package dev.pgdeck.app;

import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.sandbox.SandboxException;
import dev.pgdeck.remote.sandbox.SandboxHost;
import dev.pgdeck.remote.sandbox.SandboxInstance;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Manage the built-in sandbox host. `reset` removes it and builds a new one;"
                + " `start` builds it if needed and leaves it running; `stop` stops its server.")
final class SandboxCommand implements Callable<Integer> {
    enum Action { start, stop, reset }

    @Parameters(index = "0", description = "One of: ${COMPLETION-CANDIDATES}.")
    Action action;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        SandboxHost host = SandboxHost.fromEnvironment(new CommandLog());
        try {
            SandboxInstance instance = switch (action) {
                case start -> host.start((step, fraction) -> err.println("pgdeck: " + step));
                case reset -> host.reset((step, fraction) -> err.println("pgdeck: " + step));
                case stop -> null;
            };
            if (action == Action.stop) {
                host.sandbox().stopEvenIfStartedElsewhere();
                err.println("pgdeck: sandbox stopped");
            } else {
                err.println("pgdeck: sandbox " + instance.name() + " on 127.0.0.1:" + instance.port() + ", PostgreSQL "
                        + instance.version() + ", in " + host.sandbox().root());
            }
            return 0;
        } catch (SandboxException e) {
            err.println("pgdeck sandbox " + action + ": " + e.getMessage());
            return 2;
        }
    }
}
