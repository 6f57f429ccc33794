package dev.pgdeck.model.systemd;

import java.time.Instant;
import java.util.List;

/** A row of {@code systemctl list-timers}: when it fires next and when it last fired (null: not scheduled / never). */
public record TimerStatus(String unit, List<String> activates, Instant next, Instant last) {
    public TimerStatus {
        activates = List.copyOf(activates);
    }
}
