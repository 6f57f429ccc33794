package dev.pgdeck.remote.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgdeck.remote.posthog.ApiKey;
import dev.pgdeck.remote.posthog.EventSource;
import dev.pgdeck.remote.posthog.EventsApiSource;
import dev.pgdeck.remote.posthog.PostHogConnection;
import dev.pgdeck.remote.posthog.QueryApiSource;
import dev.pgdeck.remote.posthog.RetryPolicy;
import dev.pgdeck.remote.testing.EventStore;
import dev.pgdeck.remote.testing.FakePostHog;
import dev.pgdeck.remote.testing.PostgresServerExtension;
import dev.pgdeck.remote.testing.TestDatabases;
import dev.pgdeck.remote.warehouse.WarehouseMigrations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/** A migrated warehouse and a fake PostHog for one test. */
final class IngestFixture implements AutoCloseable {
    enum Api { QUERY, EVENTS }

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5));

    final String database;
    final DataSource dataSource;
    final EventStore.InMemory events = new EventStore.InMemory();
    final FakePostHog posthog;

    IngestFixture(PostgresServerExtension pg) throws Exception {
        database = TestDatabases.create(pg, "ingest");
        dataSource = TestDatabases.dataSource(pg, database, "postgres");
        new WarehouseMigrations(dataSource).migrate();
        posthog = new FakePostHog(events);
    }

    /** {@code n} well-formed events from T0, {@code step} apart (zero: all tied), half of them pageviews. */
    List<String> addEvents(int first, int n, Duration step) {
        List<String> ids = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            String id = uuid(i);
            boolean pageview = i % 2 == 0;
            events.add(FakePostHog.event(id, pageview ? "$pageview" : "clicked", T0.plus(step.multipliedBy(i)),
                    "user-" + (i % 7), pageview ? "https://shop.example.com/p/" + (i % 3) + "?ref=x" : null));
            ids.add(id);
        }
        return ids;
    }

    /** The PostHog client's timeout: for headers, and for silence inside a body. */
    Duration timeout = Duration.ofSeconds(120);

    static String uuid(int i) {
        return String.format("0195%04x-0000-7000-8000-%012x", i % 0x10000, (long) i);
    }

    static ObjectNode event(int i, Instant time) {
        return FakePostHog.event(uuid(i), "$pageview", time, "user-" + i, "https://shop.example.com/");
    }

    EventSource source(Api api, int pageSize) {
        PostHogConnection c = PostHogConnection.of(posthog.uri(), "42", ApiKey.of(FakePostHog.KEY))
                .withPageSize(pageSize).withRetry(FAST).withTimeout(timeout);
        return api == Api.QUERY ? new QueryApiSource(c, null) : new EventsApiSource(c, null);
    }

    IngestSummary ingest(Api api, int pageSize) throws IngestException {
        return ingest(api, pageSize, IngestOptions.DEFAULT, IngestProgress.NONE);
    }

    IngestSummary ingest(Api api, int pageSize, IngestOptions options, IngestProgress progress) throws IngestException {
        return new IngestEngine(dataSource, source(api, pageSize), options, progress).run();
    }

    /** Every distinct uuid the fake PostHog holds. */
    Set<String> storedIdsOfSource() {
        Set<String> ids = new TreeSet<>();
        for (int i = 0; i < events.size(); i++) {
            ids.add(events.get(i).event().get("id").asText());
        }
        return ids;
    }

    Set<String> storedIds() throws SQLException {
        Set<String> ids = new TreeSet<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_id FROM web_analytics.posthog_events")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Override
    public void close() {
        posthog.close();
    }
}
