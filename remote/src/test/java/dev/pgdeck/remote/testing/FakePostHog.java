package dev.pgdeck.remote.testing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.posthog.Timestamps;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostHog on 127.0.0.1 for tests, playing both APIs over the same events: the Query API (HogQL keyset paging, read
 * from the query's placeholder values) and the legacy events API (ascending with {@code orderBy=["timestamp"]}, next
 * links). Faults queued with {@link #fail} are served before normal answers: 429 with Retry-After, 5xx, 4xx, or a
 * response cut off midway.
 */
public final class FakePostHog implements AutoCloseable {
    public static final String KEY = "phx_fake_personal_key";
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");
    private static final Pattern LIMIT = Pattern.compile("LIMIT (\\d+)\\s*$");

    /**
     * A canned answer instead of the events; status 0 means: a 200 whose body breaks off; {@link #STALL}: a 200 whose
     * body stops arriving (the connection stays open until the server closes).
     */
    public record Fault(int status, String retryAfter) {
    }

    public static final int STALL = -1;

    private final HttpServer server;
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    private final EventStore events;
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile long delayMillis;

    public FakePostHog(EventStore events) throws IOException {
        this.events = events;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/projects/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public EventStore events() {
        return events;
    }

    public synchronized void fail(int status, String retryAfter, int times) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(status, retryAfter));
        }
    }

    public int requests() {
        return requests.get();
    }

    /** Slows every page down, so that a test can kill a run midway. */
    public void delayMillis(long millis) {
        delayMillis = millis;
    }

    private synchronized Fault nextFault() {
        return faults.poll();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"type\":\"authentication_error\",\"detail\":\"Invalid personal API key.\"}");
                return;
            }
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            Fault fault = nextFault();
            if (fault != null && fault.status() == STALL) {
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().write("{\"results\": [".getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                closed.await(60, java.util.concurrent.TimeUnit.SECONDS);
                return;
            }
            if (fault != null && fault.status() != 0) {
                if (fault.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", fault.retryAfter());
                }
                send(exchange, fault.status(), "{\"detail\":\"fault injected by the test\"}");
                return;
            }
            if (fault != null) {
                // Promise 4 KB, send a few bytes, hang up: the client sees the body end early.
                exchange.sendResponseHeaders(200, 4096);
                exchange.getResponseBody().write("{\"results\": [[\"0188".getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                throw new IOException("fault: response broken off");
            }
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/query/") && "POST".equals(exchange.getRequestMethod())) {
                query(exchange);
            } else if (path.endsWith("/events/") && "GET".equals(exchange.getRequestMethod())) {
                legacyEvents(exchange);
            } else {
                send(exchange, 404, "{\"detail\":\"Not found.\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            send(exchange, 500, "{\"detail\":\"" + e + "\"}");
        }
    }

    private void query(HttpExchange exchange) throws IOException {
        JsonNode body = MAPPER.readTree(exchange.getRequestBody());
        String hogql = body.path("query").path("query").asText();
        JsonNode values = body.path("query").path("values");
        Matcher m = LIMIT.matcher(hogql);
        if (!m.find()) {
            send(exchange, 400, "{\"detail\":\"no LIMIT\"}");
            return;
        }
        int limit = Integer.parseInt(m.group(1));
        Instant until = values.has("until") ? Timestamps.parse(values.get("until").asText()) : null;
        int from;
        if (values.has("after_ts")) {
            from = events.firstAfter(Timestamps.parse(values.get("after_ts").asText()), values.get("after_uuid").asText());
        } else if (values.has("since")) {
            from = events.firstAtOrAfter(Timestamps.parse(values.get("since").asText()));
        } else {
            from = 0;
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody(); JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("columns");
            for (String c : new String[] {"uuid", "event", "timestamp", "distinct_id", "properties"}) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("results");
            int n = 0;
            int i = from;
            for (; i < events.size() && n < limit; i++, n++) {
                EventStore.Stored e = events.get(i);
                if (until != null && !e.time().isBefore(until)) {
                    break;
                }
                JsonNode ev = e.event();
                g.writeStartArray();
                writeValue(g, ev.get("id"));
                writeValue(g, ev.get("event"));
                writeValue(g, ev.get("timestamp"));
                writeValue(g, ev.get("distinct_id"));
                JsonNode props = ev.get("properties");
                if (props == null || props.isNull()) {
                    g.writeNull();
                } else {
                    g.writeString(MAPPER.writeValueAsString(props)); // ClickHouse's properties column is a string
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeBooleanField("hasMore", i < events.size() && n == limit);
            g.writeEndObject();
        }
    }

    private void legacyEvents(HttpExchange exchange) throws IOException {
        Map<String, String> q = params(exchange.getRequestURI().getRawQuery());
        if (!"[\"timestamp\"]".equals(q.get("orderBy"))) {
            send(exchange, 400, "{\"detail\":\"this fake only serves ascending order\"}");
            return;
        }
        int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
        int offset = Integer.parseInt(q.getOrDefault("offset", "0"));
        Instant after = q.containsKey("after") ? Timestamps.parse(q.get("after")) : null;
        Instant before = q.containsKey("before") ? Timestamps.parse(q.get("before")) : null;
        int start = (after == null ? 0 : events.firstAfterTime(after)) + offset;
        int end = start;
        while (end < events.size() && end - start < limit
                && (before == null || events.get(end).time().isBefore(before))) {
            end++;
        }
        boolean more = end < events.size() && (before == null || events.get(end).time().isBefore(before));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody(); JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            if (more) {
                Map<String, String> nq = new HashMap<>(q);
                nq.put("offset", Integer.toString(offset + (end - start)));
                g.writeStringField("next", uri().resolve(exchange.getRequestURI().getPath()) + "?" + queryString(nq));
            } else {
                g.writeNullField("next");
            }
            g.writeArrayFieldStart("results");
            for (int i = start; i < end; i++) {
                MAPPER.writeTree(g, events.get(i).event());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void writeValue(JsonGenerator g, JsonNode v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else {
            MAPPER.writeTree(g, v);
        }
    }

    private static Map<String, String> params(String raw) {
        Map<String, String> map = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                map.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return map;
    }

    private static String queryString(Map<String, String> q) {
        StringBuilder s = new StringBuilder();
        q.forEach((k, v) -> s.append(s.length() == 0 ? "" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return s.toString();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** PostHog's timestamp text for an instant. */
    public static String timestamp(Instant t) {
        return TS.format(t.atOffset(ZoneOffset.UTC));
    }

    /** A well-formed event as the events API shows it. */
    public static ObjectNode event(String uuid, String name, Instant time, String user, String url) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("id", uuid);
        e.put("event", name);
        e.put("timestamp", timestamp(time));
        e.put("distinct_id", user);
        ObjectNode p = e.putObject("properties");
        p.put("distinct_id", user);
        p.put("$session_id", user + "-s1");
        if (url != null) {
            p.put("$current_url", url);
        }
        p.put("$lib", "web");
        e.putArray("elements");
        return e;
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
