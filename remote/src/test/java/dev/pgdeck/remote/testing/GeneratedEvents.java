package dev.pgdeck.remote.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Many PostHog-shaped events computed from their index instead of held in memory (for the benchmark): already in
 * (timestamp, uuid) order, three events per 100 ms tick so that timestamps tie, pageviews with URLs.
 */
public final class GeneratedEvents extends EventStore {
    private static final String[] NAMES = {"$pageview", "$pageview", "$pageview", "$autocapture", "$pageleave", "signed_up"};
    private static final String[] PATHS = {"/", "/pricing", "/docs", "/docs/install", "/blog/postgres-pitr", "/signup"};
    private static final String[] BROWSERS = {"Chrome", "Firefox", "Safari", "Edge"};

    private final int size;
    private final Instant start;

    public GeneratedEvents(int size, Instant start) {
        this.size = size;
        this.start = start;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Stored get(int i) {
        Instant time = start.plusMillis(100L * (i / 3));
        String uuid = uuid(i);
        return new Stored(time, uuid, event(i, uuid, time));
    }

    public static String uuid(int i) {
        return String.format("01950000-%04x-7000-8000-%012x", (i >>> 16) & 0xffff, (long) i);
    }

    private static ObjectNode event(int i, String uuid, Instant time) {
        String name = NAMES[Math.floorMod(i * 7, NAMES.length)];
        String user = "user-" + Math.floorMod(i * 31, 40_000);
        String path = PATHS[Math.floorMod(i * 13, PATHS.length)];
        ObjectNode e = FakePostHog.event(uuid, name, time, user,
                name.equals("$pageview") || name.equals("$pageleave") ? "https://shop.example.com" + path : null);
        ObjectNode p = (ObjectNode) e.get("properties");
        p.put("$pathname", path);
        p.put("$browser", BROWSERS[i & 3]);
        p.put("$os", "Linux");
        p.put("$screen_width", 1280 + (i & 7) * 64);
        p.put("$referrer", "$direct");
        return e;
    }
}
