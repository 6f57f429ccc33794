package dev.pgdeck.remote.posthog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgdeck.remote.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;

/**
 * The Query API ({@code POST /api/projects/{id}/query/}, HogQL), paged by the key (timestamp, uuid) ascending: unlike
 * offsets or timestamps alone, a key cannot skip or repeat events that share a timestamp.
 */
public final class QueryApiSource implements EventSource {
    /** Column order the rows come in; {@link #toEvent} relies on it. */
    static final String COLUMNS = "uuid, event, timestamp, distinct_id, properties";

    private final PostHogConnection connection;
    private final PostHogHttp http;
    private final Instant until;

    /** {@code until}: exclusive upper bound, or null for none. */
    public QueryApiSource(PostHogConnection connection, Instant until) {
        this(connection, until, PostHogHttp.Sleeper.REAL);
    }

    QueryApiSource(PostHogConnection connection, Instant until, PostHogHttp.Sleeper sleeper) {
        this.connection = connection;
        this.http = new PostHogHttp(connection, sleeper);
        this.until = until;
    }

    @Override
    public String name() {
        return "posthog-query";
    }

    @Override
    public String projectId() {
        return connection.projectId();
    }

    @Override
    public Page fetch(Position from, EventSink sink) throws PostHogException {
        int limit = connection.pageSize();
        URI uri = connection.projectUri("query/");
        HttpRequest request = http.request(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(from, limit)))
                .build();
        ResultsReader.Result result = http.exchange("PostHog Query API, page " + from, request, sink,
                (in, s) -> ResultsReader.read(in, s, QueryApiSource::toEvent));
        boolean full = result.events() >= limit;
        if (full && result.last() == null) {
            throw new PostHogException("PostHog Query API, page " + from + ": a full page without one event with a"
                    + " readable (timestamp, uuid) to go on from");
        }
        Position next = result.last() == null ? from : result.last();
        return new Page(result.events(), next, full, result.last());
    }

    /** The HogQL query; values travel as placeholders, never spliced into the text. */
    String body(Position from, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        if (from.time() != null && from.uuid() != null) {
            where.append(" AND (timestamp > toDateTime64({after_ts}, 6, 'UTC') OR (timestamp = toDateTime64({after_ts},"
                    + " 6, 'UTC') AND uuid > toUUID({after_uuid})))");
            values.put("after_ts", Timestamps.clickhouse(from.time()));
            values.put("after_uuid", from.uuid());
        } else if (from.time() != null) {
            where.append(" AND timestamp >= toDateTime64({since}, 6, 'UTC')");
            values.put("since", Timestamps.clickhouse(from.time()));
        }
        if (until != null) {
            where.append(" AND timestamp < toDateTime64({until}, 6, 'UTC')");
            values.put("until", Timestamps.clickhouse(until));
        }
        String hogql = "SELECT " + COLUMNS + " FROM events WHERE " + where
                + " ORDER BY timestamp ASC, uuid ASC LIMIT " + limit;
        ObjectNode query = JsonNodeFactory.instance.objectNode();
        query.put("kind", "HogQLQuery");
        query.put("query", hogql);
        query.set("values", values);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("query", query);
        body.put("name", "pgdeck ingest");
        try {
            return Json.mapper().writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static PostHogEvent toEvent(JsonNode row) {
        if (!row.isArray()) {
            return new PostHogEvent(null, null, null, null, null, null, row);
        }
        String timestamp = ResultsReader.text(row.get(2));
        return new PostHogEvent(ResultsReader.text(row.get(0)), row.get(1), timestamp, Timestamps.parse(timestamp),
                row.get(3), row.get(4), row);
    }
}
