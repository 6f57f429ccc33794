package dev.pgdeck.remote.posthog;

/**
 * Receives the events of one page while the response is still streaming in. If reading the response fails midway,
 * the page is fetched again: {@link #abort()} drops what the sink received since {@link #begin()}.
 */
public interface EventSink {
    void begin();

    void accept(PostHogEvent event);

    void abort();
}
