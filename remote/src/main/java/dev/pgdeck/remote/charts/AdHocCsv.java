package dev.pgdeck.remote.charts;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** An ad hoc result as CSV: a header of column names, then every row (null as an empty field). */
public final class AdHocCsv {
    private AdHocCsv() {}

    public static void write(AdHocResult result, Writer out) throws IOException {
        line(result.columns(), out);
        for (List<Object> row : result.rows()) {
            line(row, out);
        }
    }

    private static void line(List<?> fields, Writer out) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            Object v = fields.get(i);
            out.write(v == null ? "" : quote(v.toString()));
        }
        out.write('\n');
    }

    private static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
