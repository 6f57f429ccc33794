package dev.pgdeck.remote.charts;

import java.util.List;

/** A labelled list of points, e.g. "Page views" per day. */
public record ChartSeries(String label, List<ChartPoint> points) {
    public ChartSeries {
        points = List.copyOf(points);
    }

    /** Whether some point is of a period not over yet. */
    public boolean incomplete() {
        return points.stream().anyMatch(ChartPoint::incomplete);
    }
}
