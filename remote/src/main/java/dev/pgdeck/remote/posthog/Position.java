package dev.pgdeck.remote.posthog;

import java.net.URI;
import java.time.Instant;

/**
 * Where reading goes on from. Query API: after the key ({@code time}, {@code uuid}), or from {@code time} inclusive
 * when {@code uuid} is null, or from the start when both are null. Legacy events API: the {@code next} link when
 * there is one, else after {@code time}.
 */
public record Position(Instant time, String uuid, URI next) {
    public static final Position START = new Position(null, null, null);

    public static Position from(Instant time) {
        return new Position(time, null, null);
    }

    public static Position after(Instant time, String uuid) {
        return new Position(time, uuid, null);
    }

    @Override
    public String toString() {
        if (next != null) {
            return "next link " + next;
        }
        if (time == null) {
            return "the beginning";
        }
        return uuid == null ? "from " + time : "after (" + time + ", " + uuid + ")";
    }
}
