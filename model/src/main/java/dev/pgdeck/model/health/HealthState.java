package dev.pgdeck.model.health;

/** Green / amber / red; ordered from best to worst. */
public enum HealthState {
    OK, WARN, FAIL;

    public String json() {
        return name().toLowerCase();
    }

    public HealthState worse(HealthState other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
