package dev.pgdeck.remote.posthog;

/**
 * What one page brought: how many events, where the next page starts, and whether there may be more.
 * {@code last} is the key of the last event with a readable (timestamp, uuid): the watermark once committed.
 */
public record Page(int events, Position next, boolean more, Position last) {
}
