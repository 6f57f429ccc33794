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

    private static final java.util.regex.Pattern SIZE = java.util.regex.Pattern.compile("([0-9]{1,6})x([0-9]{1,6})");
    /** A picture smaller than this has no room for its axes; a larger one (99999x99999 is 40 GB) runs out of memory. */
    static final int MIN_SIDE = 100;
    static final int MAX_SIDE = 8000;

    /** Why {@code file} cannot be written (checked before the sandbox starts), or null. */
    static String unwritable(String option, Path file) {
        if (file == null) {
            return null;
        }
        Path dir = file.toAbsolutePath().getParent();
        if (java.nio.file.Files.isDirectory(file)) {
            return option + " " + file + " is a directory, expected a file name";
        }
        if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
            return option + " " + file + ": the directory " + dir + " does not exist";
        }
        if (!java.nio.file.Files.isWritable(dir)) {
            return option + " " + file + ": the directory " + dir + " is not writable";
        }
        return null;
    }

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
        java.util.regex.Matcher wh = SIZE.matcher(size.strip().toLowerCase(Locale.ROOT));
        if (!wh.matches()) {
            err.println("pgdeck chart: --size must look like 1000x600, not \"" + PgdeckCommand.firstLine(size) + "\"");
            return 64;
        }
        int width = Integer.parseInt(wh.group(1));
        int height = Integer.parseInt(wh.group(2));
        if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE) {
            err.println("pgdeck chart: --size " + width + "x" + height + " is out of range: width and height are "
                    + MIN_SIDE + " to " + MAX_SIDE + " pixels");
            return 64;
        }
        String unwritable = unwritable("--csv", csv);
        unwritable = unwritable != null ? unwritable : unwritable("--png", png);
        if (unwritable != null) {
            err.println("pgdeck chart: " + unwritable);
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
                try {
                    if (csv != null) {
                        ChartExports.csv(data, csv);
                    }
                    if (png != null) {
                        ChartExports.png(ChartPainter.paint(data, width, height), png);
                    }
                } catch (java.io.IOException e) {
                    err.println("pgdeck chart: could not write " + (csv != null && png == null ? csv : png) + ": "
                            + PgdeckCommand.describe(e));
                    return 2;
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
