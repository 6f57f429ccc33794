package dev.pgdeck.model.metrics;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The samples of one or more textfile-collector files, with the HELP and TYPE lines by metric name. */
public record Metrics(List<Sample> samples, Map<String, String> help, Map<String, String> types) {
    public Metrics {
        samples = List.copyOf(samples);
        help = Map.copyOf(help);
        types = Map.copyOf(types);
    }

    public List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The sample of {@code name} whose label {@code key} is {@code value}, e.g. postgresql_health{instance="main"}. */
    public Optional<Sample> find(String name, String key, String value) {
        return samples.stream().filter(s -> s.name().equals(name) && value.equals(s.labels().get(key))).findFirst();
    }
}
