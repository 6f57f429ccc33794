package dev.pgdeck.remote.posthog;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event as PostHog sent it, not yet validated: any field may be missing or of the wrong type.
 *
 * @param uuid       the event's uuid (the legacy API's {@code id}), or null
 * @param event      the event name node, or null
 * @param timestamp  the timestamp text as received, or null
 * @param time       {@code timestamp} parsed, or null when it is missing or unreadable
 * @param distinctId the distinct_id node, or null
 * @param properties an object, or (Query API) a string holding a JSON object, or anything else when malformed
 * @param raw        the whole event as received, kept for the rejects table
 */
public record PostHogEvent(String uuid, JsonNode event, String timestamp, Instant time, JsonNode distinctId,
                           JsonNode properties, JsonNode raw) {
}
