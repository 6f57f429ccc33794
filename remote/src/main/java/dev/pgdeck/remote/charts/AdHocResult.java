package dev.pgdeck.remote.charts;

import java.util.List;

/**
 * What an ad hoc query returned: column names, and rows of values as JDBC gave them (numbers stay numbers, the rest
 * is text or null). {@code limit} says whether these are all the rows or the first ones, and which limit cut them.
 */
public record AdHocResult(List<String> columns, List<List<Object>> rows, Limit limit) {
    /** Why a result holds only its first rows. */
    public enum Limit {
        NONE(""),
        ROWS("the " + String.format("%,d", AdHocQuery.MAX_ROWS) + "-row limit"),
        BYTES("the " + (AdHocQuery.MAX_BYTES >> 20) + " MB limit");

        private final String words;

        Limit(String words) {
            this.words = words;
        }

        /** e.g. "the 10,000-row limit"; empty for NONE. */
        public String words() {
            return words;
        }
    }

    public AdHocResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** Whether the query had more rows than these. */
    public boolean truncated() {
        return limit != Limit.NONE;
    }

    /** "3 rows", or "the first 64 rows (the 64 MB limit)". */
    public String rowsInWords() {
        String n = String.format("%,d", rows.size()) + (rows.size() == 1 ? " row" : " rows");
        return truncated() ? "the first " + n + " (" + limit.words() + ")" : n;
    }
}
