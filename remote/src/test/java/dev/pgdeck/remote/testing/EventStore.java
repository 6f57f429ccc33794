package dev.pgdeck.remote.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The fake PostHog's events in (timestamp, uuid) order, as ClickHouse sorts them for the Query API. */
public abstract class EventStore {
    /** An event and its sort key (kept apart: a malformed event may have no readable timestamp or uuid). */
    public record Stored(Instant time, String uuid, ObjectNode event) {
    }

    private static final Comparator<Stored> ORDER = Comparator.comparing(Stored::time).thenComparing(Stored::uuid);

    public abstract int size();

    public abstract Stored get(int index);

    /** Index of the first event with (time, uuid) greater than the key. */
    public int firstAfter(Instant time, String uuid) {
        return search(s -> ORDER.compare(s, new Stored(time, uuid, null)) > 0);
    }

    public int firstAtOrAfter(Instant time) {
        return search(s -> !s.time().isBefore(time));
    }

    public int firstAfterTime(Instant time) {
        return search(s -> s.time().isAfter(time));
    }

    private int search(java.util.function.Predicate<Stored> isAtOrPast) {
        int lo = 0;
        int hi = size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (isAtOrPast.test(get(mid))) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** A mutable store for tests: events can be added between runs (late events). */
    public static final class InMemory extends EventStore {
        private final List<Stored> events = new ArrayList<>();

        public synchronized InMemory add(ObjectNode event) {
            return add(dev.pgdeck.remote.posthog.Timestamps.parse(event.get("timestamp").asText()), event.get("id").asText(),
                    event);
        }

        /** For malformed events: the sort key is given, whatever the event holds. */
        public synchronized InMemory add(Instant time, String uuid, ObjectNode event) {
            Stored s = new Stored(time, uuid, event);
            int at = 0;
            while (at < events.size() && ORDER.compare(events.get(at), s) <= 0) {
                at++;
            }
            events.add(at, s);
            return this;
        }

        @Override
        public synchronized int size() {
            return events.size();
        }

        @Override
        public synchronized Stored get(int index) {
            return events.get(index);
        }
    }
}
