package dev.pgdeck.model.overview;

import dev.pgdeck.model.metrics.Metrics;
import dev.pgdeck.model.metrics.Sample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A metric sample for the status contract; {@code value} is null for NaN and the infinities (JSON has none). */
public record MetricSample(Map<String, String> labels, Double value) {
    public MetricSample {
        labels = new TreeMap<>(labels);
    }

    /** Samples grouped by metric name, names sorted. */
    public static Map<String, List<MetricSample>> byName(Metrics metrics) {
        Map<String, List<MetricSample>> out = new TreeMap<>();
        for (Sample s : metrics.samples()) {
            double v = s.value();
            out.computeIfAbsent(s.name(), n -> new java.util.ArrayList<>())
                    .add(new MetricSample(new LinkedHashMap<>(s.labels()), Double.isFinite(v) ? v : null));
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }
}
