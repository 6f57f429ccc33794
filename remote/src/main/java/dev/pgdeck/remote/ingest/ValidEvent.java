package dev.pgdeck.remote.ingest;

import java.time.Instant;

/** An event fit for {@code web_analytics.posthog_events}; {@code properties} is the text of a JSON object. */
record ValidEvent(String eventId, String eventName, String properties, Instant time, String userId,
                  String sessionId) {
}
