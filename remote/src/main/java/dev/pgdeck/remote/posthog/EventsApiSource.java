package dev.pgdeck.remote.posthog;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The legacy {@code GET /api/projects/{id}/events/} endpoint, for older self-hosted PostHog: read in ascending order
 * (descending paging drops events with tied timestamps), following the {@code next} links.
 */
public final class EventsApiSource implements EventSource {
    private final PostHogConnection connection;
    private final PostHogHttp http;
    private final Instant until;

    public EventsApiSource(PostHogConnection connection, Instant until) {
        this(connection, until, PostHogHttp.Sleeper.REAL);
    }

    EventsApiSource(PostHogConnection connection, Instant until, PostHogHttp.Sleeper sleeper) {
        this.connection = connection;
        this.http = new PostHogHttp(connection, sleeper);
        this.until = until;
    }

    @Override
    public String name() {
        return "posthog-events";
    }

    @Override
    public String projectId() {
        return connection.projectId();
    }

    @Override
    public Page fetch(Position from, EventSink sink) throws PostHogException {
        URI uri = from.next() != null ? checkedNext(from.next()) : firstPage(from);
        HttpRequest request = http.request(uri).GET().build();
        ResultsReader.Result result = http.exchange("PostHog events API, page " + from, request, sink,
                (in, s) -> ResultsReader.read(in, s, EventsApiSource::toEvent));
        boolean more = result.next() != null && result.events() > 0;
        Position next = more ? new Position(null, null, URI.create(result.next())) : from;
        return new Page(result.events(), next, more, result.last());
    }

    private URI firstPage(Position from) {
        StringBuilder query = new StringBuilder("?orderBy=").append(encode("[\"timestamp\"]"))
                .append("&limit=").append(connection.pageSize());
        if (from.time() != null) {
            // `after` is exclusive: step back a microsecond so events at exactly that time are read again
            // (duplicates are dropped on insert; a skipped event would be lost).
            query.append("&after=").append(encode(from.time().minusNanos(1000).toString()));
        }
        if (until != null) {
            query.append("&before=").append(encode(until.toString()));
        }
        return connection.projectUri("events/" + query);
    }

    /** The bearer key goes only to the PostHog the operator named, wherever a next link points. */
    private URI checkedNext(URI next) throws PostHogException {
        URI base = connection.baseUri();
        if (!base.getScheme().equalsIgnoreCase(next.getScheme()) || !base.getHost().equalsIgnoreCase(next.getHost())
                || base.getPort() != next.getPort()) {
            throw new PostHogException("PostHog's next link points elsewhere (" + next.getScheme() + "://"
                    + next.getHost() + ":" + next.getPort() + "); not sending the API key there");
        }
        return next;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static PostHogEvent toEvent(JsonNode object) {
        if (!object.isObject()) {
            return new PostHogEvent(null, null, null, null, null, null, object);
        }
        String timestamp = ResultsReader.text(object.get("timestamp"));
        return new PostHogEvent(ResultsReader.text(object.get("id")), object.get("event"), timestamp,
                Timestamps.parse(timestamp), object.get("distinct_id"), object.get("properties"), object);
    }
}
