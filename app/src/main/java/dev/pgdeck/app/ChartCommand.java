package dev.pgdeck.app;

import dev.pgdeck.app.charts.ChartExports;
import dev.pgdeck.app.charts.ChartPainter;
import dev.pgdeck.remote.charts.Chart;
import dev.pgdeck.remote.charts.ChartCsv;
import dev.pgdeck.remote.charts.ChartData;
import dev.pgdeck.remote.charts.ChartQueries;
import dev.pgdeck.remote.charts.DateRange;
import dev.pgdeck.remote.charts.Interval;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.sandbox.Sandbox;
import dev.pgdeck.remote.sandbox.SandboxException;
import dev.pgdeck.remote.sandbox.SandboxHost;
import dev.pgdeck.remote.sandbox.SandboxInstance;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "chart", mixinStandardHelpOptions = true,
        description = "Write a chart of the analytics warehouse's marts (read as analytics_readonly): its data as CSV"
                + " (to stdout when no --csv or --png is given) and its picture as PNG. Against the sandbox, which is"
                + " started when it is not running and stopped again afterwards.")
final class ChartCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CHART",
            description = "dau | wau | mau | pageviews | top-pages | events (by name) | events-per-day | sessions")
    String chartName;

    @Option(names = "--host", description = "The host (only `sandbox` for now).", defaultValue = "sandbox")
    String host;

    @Option(names = "--from", description = "First day, yyyy-mm-dd (UTC). Default: 29 days before --to.")
    LocalDate from;

    @Option(names = "--to", description = "Last day, yyyy-mm-dd (UTC). Default: today.")
    LocalDate to;

    @Option(names = "--interval", description = "day | week | month (time series). Default: day.", defaultValue = "day")
    String interval;

    @Option(names = "--compare", description = "Add the previous period of the same length (CSV columns previous,change_pct).")
    boolean compare;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the data as CSV here.")
    Path csv;

    @Option(names = "--png", paramLabel = "FILE", description = "Write the picture as PNG here (Java2D, no display needed).")
    Path png;

    @Option(names = "--size", paramLabel = "WxH", description = "PNG size. Default: 1000x600.", defaultValue = "1000x600")
    String size;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Chart chart = Chart.byCliName(chartName).orElse(null);
        if (chart == null) {
            err.println("pgdeck chart: unknown chart `" + chartName + "`; one of dau, wau, mau, pageviews, top-pages,"
                    + " events, events-per-day, sessions");
            return 64;
        }
        Interval every;
        try {
            every = Interval.valueOf(interval.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("pgdeck chart: --interval must be day, week or month, not `" + interval + "`");
            return 64;
        }
        if (!Sandbox.HOST_NAME.equals(host)) {
            err.println("pgdeck chart: unknown host `" + host + "` (only the sandbox is configured)");
            return 64;
        }
        int width;
        int height;
        try {
            String[] wh = size.toLowerCase(Locale.ROOT).split("x");
            width = Integer.parseInt(wh[0]);
            height = Integer.parseInt(wh[1]);
        } catch (RuntimeException e) {
            err.println("pgdeck chart: --size must look like 1000x600");
            return 64;
        }
        // The PNG is drawn with Java2D, which needs no display when headless.
        System.setProperty("java.awt.headless", "true");
        CommandLog log = new CommandLog();
        try (SandboxHost sandbox = SandboxHost.fromEnvironment(log)) {
            SandboxInstance instance = sandbox.start((step, fraction) -> err.println("pgdeck: " + step));
            try (ChartQueries queries = ChartQueries.open("127.0.0.1", instance.port(), null, log,
                    Sandbox.HOST_NAME + "/" + instance.name() + "/analytics")) {
                LocalDate last = to != null ? to : queries.today();
                LocalDate first = from != null ? from : last.minusDays(29);
                if (last.isBefore(first)) {
                    err.println("pgdeck chart: --to (" + last + ") is before --from (" + first + ")");
                    return 64;
                }
                ChartData data = queries.load(chart, new DateRange(first, last), every, compare);
                if (csv != null) {
                    ChartExports.csv(data, csv);
                }
                if (png != null) {
                    ChartExports.png(ChartPainter.paint(data, width, height), png);
                }
                if (csv == null && png == null) {
                    ChartCsv.write(data, out);
                }
                err.printf(Locale.ROOT, "pgdeck chart: %s, %s by %s, %d points, query %d ms%n", chart.title(),
                        data.range(), every, data.current().points().size(), data.queryTime().toMillis());
            }
        } catch (SandboxException e) {
            err.println("pgdeck chart: " + e.getMessage());
            return 2;
        } catch (java.sql.SQLException e) {
            err.println("pgdeck chart: the warehouse query failed: " + e.getMessage());
            return 3;
        }
        out.flush();
        err.flush();
        return 0;
    }
}
