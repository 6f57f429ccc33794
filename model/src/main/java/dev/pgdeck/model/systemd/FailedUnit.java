package dev.pgdeck.model.systemd;

/** A row of {@code systemctl list-units --failed --output=json}. */
public record FailedUnit(String unit, String load, String active, String sub, String description) {
}
