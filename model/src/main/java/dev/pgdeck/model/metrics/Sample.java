package dev.pgdeck.model.metrics;

import java.util.Map;

/** One sample of the Prometheus text format; {@code timestampMillis} is null when the line has none. */
public record Sample(String name, Map<String, String> labels, double value, Long timestampMillis) {
    public Sample {
        labels = Map.copyOf(labels);
    }

    public String label(String key) {
        return labels.get(key);
    }
}
