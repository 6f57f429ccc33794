package dev.pgdeck.app.charts;

/** One row of the values table beside the chart, formatted for display. */
public record ChartRow(String key, String value, String previous, String change, boolean incomplete) {
}
