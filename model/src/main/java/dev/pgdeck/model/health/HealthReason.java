package dev.pgdeck.model.health;

/** One finding, in words an operator can act on. */
public record HealthReason(HealthState state, String text) {
}
