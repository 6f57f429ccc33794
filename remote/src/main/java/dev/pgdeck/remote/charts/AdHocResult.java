package dev.pgdeck.remote.charts;

import java.util.List;

/**
 * What an ad hoc query returned: column names, and rows of values as JDBC gave them (numbers stay numbers, the rest
 * is text or null). {@code truncated} when the query had more than {@link AdHocQuery#MAX_ROWS} rows.
 */
public record AdHocResult(List<String> columns, List<List<Object>> rows, boolean truncated) {
    public AdHocResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
