package dev.pgdeck.app;

import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.restore.RestorePreflight;
import dev.pgdeck.remote.restore.RestoreReport;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "drill", mixinStandardHelpOptions = true,
        description = "Recovery drill: restore into a scratch data directory on a free port with archive_mode=off,"
                + " verify, remove the scratch copy. Prints JSON {\"target\", \"reached\", \"timeline\", \"steps\":"
                + " [{\"name\", \"seconds\"}], \"verify\": [[...]], \"rtoSeconds\"}. No --host means the sandbox.")
final class DrillCommand implements Callable<Integer> {
    @Mixin
    RestoreOptions options;


    @ArgGroup(exclusive = true, multiplicity = "1")
    TargetOptions target;

    @Option(names = "--scratch-port", paramLabel = "PORT", description = "Port of the scratch server (default: the"
            + " instance's + 10000)")
    Integer scratchPort;

    @Option(names = "--dry-run", description = "Print the drill's plan as a shell script and exit")
    boolean dryRun;

    @Option(names = "--verify-archives", description = "Read the backup's archives whole first (gzip -t)")
    boolean verifyArchives;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RecoveryTarget parsed;
        try { // read before the host is opened: a malformed target, timeline or port is one line, at once
            parsed = target.target();
            options.check();
            RestoreOptions.checkPort("--scratch-port", scratchPort);
        } catch (IllegalArgumentException e) {
            err.println("pgdeck drill: " + e.getMessage());
            return 3;
        }
        try (RestoreHost h = RestoreHost.open(options.host, options.instance, new CommandLog(), err)) {
            RestorePreparation.Prepared p = RestorePreparation.prepare(h, parsed, options.backup,
                    options.timeline, RestoreMode.DRILL, scratchPort, options.verifySql, options.verifyDatabase,
                    options.source(), false);
            if (dryRun) {
                out.print(p.plan().toShellScript());
                out.flush();
                return 0;
            }
            List<PreflightCheck> checks = p.workflow().preflight(p.plan(), p.state(), verifyArchives);
            RestorePreparation.printChecks(err, checks);
            if (RestorePreflight.anyFailed(checks)) {
                err.println("pgdeck drill: a pre-flight check failed; nothing was run");
                return 3;
            }
            RestoreReport report = CancelOnExit.execute(p.workflow(), p.plan(),
                    RestorePreparation.progressTo(err), err);
            out.println(Json.mapper().writeValueAsString(json(report, p.plan().source())));
            out.flush();
            if (!report.succeeded()) {
                err.println("pgdeck drill: " + report.account());
            }
            return report.succeeded() && report.reached() ? 0 : 1;
        } catch (RestoreHost.Refused | IllegalArgumentException e) {
            err.println("pgdeck drill: " + e.getMessage());
            return 3;
        } catch (HostCommandException e) {
            err.println("pgdeck drill: the host could not be read: " + e.getMessage());
            return 1;
        }
    }

    static Map<String, Object> json(RestoreReport report, String source) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", report.target());
        m.put("reached", report.reached());
        m.put("timeline", report.timeline());
        m.put("steps", report.steps().stream().map(s -> Map.of("name", s.name(), "seconds",
                Math.round(s.seconds() * 1000) / 1000.0)).toList());
        m.put("verify", report.verifyRows());
        m.put("rtoSeconds", report.rtoSeconds() == null ? null : Math.round(report.rtoSeconds() * 1000) / 1000.0);
        m.put("outcome", report.outcome().name());
        m.put("source", source);
        m.put("account", report.account());
        return m;
    }
}
