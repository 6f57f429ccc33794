package dev.pgdeck.remote.charts;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

/**
 * A chart's data as CSV (RFC 4180): {@code date,value,incomplete} for time series ({@code category,...} for bars), with
 * {@code previous,change_pct} columns when compared. Values are plain numbers, dates ISO.
 */
public final class ChartCsv {
    private ChartCsv() {}

    public static void write(ChartData data, Writer out) throws IOException {
        boolean compared = data.compared();
        out.write(data.chart().timeSeries() ? "date" : "category");
        out.write(",value,incomplete");
        if (compared) {
            out.write(",previous,change_pct");
        }
        out.write("\r\n");
        var points = data.current().points();
        for (int i = 0; i < points.size(); i++) {
            ChartPoint p = points.get(i);
            out.write(quote(p.key()));
            out.write(',');
            out.write(number(p.value()));
            out.write(',');
            out.write(Boolean.toString(p.incomplete()));
            if (compared) {
                var before = data.previous().points();
                if (i < before.size()) {
                    double previous = before.get(i).value();
                    out.write(',');
                    out.write(number(previous));
                    out.write(',');
                    out.write(previous == 0 ? "" : String.format(Locale.ROOT, "%.2f", (p.value() - previous) / previous * 100));
                } else {
                    out.write(",,");
                }
            }
            out.write("\r\n");
        }
        out.flush();
    }

    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value) : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String quote(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
            return '"' + field.replace("\"", "\"\"") + '"';
        }
        return field;
    }
}
