package dev.pgdeck.remote.ingest;

/** Rows in COPY's text format: tab-separated, {@code \N} for null, backslash escapes for \, tab, newline, CR. */
final class CopyText {
    private CopyText() {}

    static void field(StringBuilder row, String value) {
        if (value == null) {
            row.append("\\N");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\': row.append("\\\\"); break;
                case '\t': row.append("\\t"); break;
                case '\n': row.append("\\n"); break;
                case '\r': row.append("\\r"); break;
                default: row.append(c);
            }
        }
    }

    static void row(StringBuilder out, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            field(out, fields[i]);
        }
        out.append('\n');
    }
}
