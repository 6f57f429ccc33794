package dev.pgdeck.remote.charts;

import java.time.Duration;

/**
 * What one chart shows: its points for the range and, when compared, the previous period's (same length, just before;
 * for categories, the same categories' values then) with the summary figure of each and the change.
 */
public record ChartData(Chart chart, DateRange range, Interval interval, ChartSeries current, ChartSeries previous,
                        Duration queryTime) {
    public boolean compared() {
        return previous != null;
    }

    public double figure() {
        return chart.figure(current);
    }

    public Double previousFigure() {
        return previous == null ? null : chart.figure(previous);
    }

    /** The change against the previous period in percent; null when not compared or the previous figure is 0. */
    public Double percentChange() {
        Double before = previousFigure();
        if (before == null || before == 0) {
            return null;
        }
        return (figure() - before) / before * 100.0;
    }
}
