package dev.pgdeck.remote.posthog;

/** Pages of events in ascending (timestamp, uuid) order, streamed into a sink. */
public interface EventSource {
    /** Names the source in the bookkeeping, e.g. {@code posthog-query}. */
    String name();

    String projectId();

    /** Streams the page that starts at {@code from} into {@code sink}. */
    Page fetch(Position from, EventSink sink) throws PostHogException;
}
