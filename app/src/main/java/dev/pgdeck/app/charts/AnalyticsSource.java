package dev.pgdeck.app.charts;

import dev.pgdeck.remote.charts.ChartQueries;

/**
 * Where the charts read from: the analytics warehouse of the current host, through its read-only role. Called from
 * worker threads only; may wait until the host is up (the sandbox starts after the window shows).
 */
public interface AnalyticsSource {
    ChartQueries queries() throws Exception;
}
