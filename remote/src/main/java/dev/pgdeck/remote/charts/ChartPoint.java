package dev.pgdeck.remote.charts;

import java.time.LocalDate;

/**
 * One point: a time bucket (its first day in {@code date}; {@code category} null) or a category (a page or event name;
 * {@code date} null). {@code incomplete}: the bucket is not over yet (it holds today), so its value will still grow.
 */
public record ChartPoint(LocalDate date, String category, double value, boolean incomplete) {
    public static ChartPoint at(LocalDate date, double value, boolean incomplete) {
        return new ChartPoint(date, null, value, incomplete);
    }

    public static ChartPoint of(String category, double value, boolean incomplete) {
        return new ChartPoint(null, category, value, incomplete);
    }

    /** The date (yyyy-mm-dd) or the category. */
    public String key() {
        return date != null ? date.toString() : category;
    }
}
