package dev.pgdeck.remote.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgdeck.remote.ingest.IngestFixture.Api;
import dev.pgdeck.remote.testing.FakePostHog;
import dev.pgdeck.remote.testing.PostgresServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IngestEngineTest {
    @RegisterExtension
    static PostgresServerExtension pg = new PostgresServerExtension();

    IngestFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new IngestFixture(pg);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void readsEveryPageAndRecordsTheRun(Api api) throws Exception {
        Set<String> ids = new TreeSet<>(f.addEvents(0, 50, Duration.ofMinutes(7)));
        IngestSummary s = f.ingest(api, 7);
        assertEquals(ids, f.storedIds());
        assertEquals(50, s.fetched());
        assertEquals(50, s.inserted());
        assertEquals(0, s.duplicates());
        assertEquals(0, s.rejected());
        assertTrue(s.pages() >= 8, "pages: " + s.pages());
        assertEquals(IngestFixture.T0.plus(Duration.ofMinutes(7 * 49)), s.watermark());
        assertEquals("succeeded 50 50 " + s.pages(), String.join(" ", f.strings(
                "SELECT status || ' ' || fetched || ' ' || inserted || ' ' || pages FROM ingest.runs")));
        assertEquals(List.of("0"), f.strings("SELECT count(*) FROM ingest.quality_checks WHERE NOT passed"));
        assertEquals(List.of(), f.strings("SELECT schemaname || '.' || relname FROM pg_stat_user_tables"
                + " WHERE relname IN ('posthog_events', 'mart_daily_users', 'mart_active_users', 'mart_period_users',"
                + " 'watermarks') AND (last_vacuum IS NULL OR last_analyze IS NULL)"), "tables the run left unvacuumed");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void manyEventsWithTheSameTimestampAreNeitherLostNorRepeated(Api api) throws Exception {
        Set<String> ids = new TreeSet<>(f.addEvents(0, 100, Duration.ZERO));
        IngestSummary s = f.ingest(api, 7);
        assertEquals(ids, f.storedIds());
        assertEquals(100, s.inserted());
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void aDuplicateAcrossPagesIsInsertedOnceAndCounted(Api api) throws Exception {
        f.addEvents(0, 20, Duration.ofSeconds(1));
        // PostHog can hold the same uuid twice (a retried capture with a later timestamp): pages apart from its twin.
        f.events.add(IngestFixture.event(3, IngestFixture.T0.plusSeconds(18)));
        IngestSummary s = f.ingest(api, 5);
        assertEquals(21, s.fetched());
        assertEquals(20, s.inserted());
        assertEquals(1, s.duplicates());
        assertEquals(20, f.storedIds().size());
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void aDuplicateWithinOnePageFallsBackToStagingAndIsCountedOnce(Api api) throws Exception {
        f.addEvents(0, 10, Duration.ofSeconds(1));
        // The twin lands in the same page: the direct COPY meets a unique violation and the page is staged instead.
        f.events.add(IngestFixture.event(3, IngestFixture.T0.plusSeconds(5)));
        IngestSummary s = f.ingest(api, 50);
        assertEquals(11, s.fetched());
        assertEquals(10, s.inserted());
        assertEquals(1, s.duplicates());
        assertEquals(new TreeSet<>(f.storedIdsOfSource()), f.storedIds());
        assertEquals(List.of("succeeded"), f.strings("SELECT status FROM ingest.runs"));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void honoursRetryAfterOn429(Api api) throws Exception {
        f.addEvents(0, 10, Duration.ofSeconds(1));
        f.posthog.fail(429, "1", 1);
        long started = System.nanoTime();
        IngestSummary s = f.ingest(api, 4);
        assertTrue(System.nanoTime() - started >= 1_000_000_000L, "waited less than Retry-After");
        assertEquals(10, s.inserted());
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void retries5xxAndBrokenResponses(Api api) throws Exception {
        Set<String> ids = new TreeSet<>(f.addEvents(0, 10, Duration.ofSeconds(1)));
        f.posthog.fail(503, null, 2);
        f.posthog.fail(0, null, 1); // a 200 whose body breaks off
        IngestSummary s = f.ingest(api, 4);
        assertEquals(ids, f.storedIds());
        assertEquals(10, s.fetched());
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void aBodyThatStallsMidwayIsAbandonedAfterTheTimeoutAndRetried(Api api) throws Exception {
        Set<String> ids = new TreeSet<>(f.addEvents(0, 10, Duration.ofSeconds(1)));
        f.timeout = Duration.ofMillis(800);
        f.posthog.fail(FakePostHog.STALL, null, 1);
        IngestSummary s = f.ingest(api, 4);
        assertEquals(ids, f.storedIds());
        assertEquals(10, s.fetched());
        assertEquals(s.pages() + 1, f.posthog.requests(), "the stalled page was asked for again");
    }

    @Test
    void givesUpAfterTheBoundAndSaysWhereTheRunStopped() throws Exception {
        f.addEvents(0, 40, Duration.ofSeconds(1)); // ten pages: read-ahead cannot reach the end first
        IngestProgress failLater = (pages, fetched, inserted, watermark) -> {
            if (pages == 2) {
                f.posthog.fail(502, null, IngestFixture.FAST.maxAttempts());
            }
        };
        IngestException e = assertThrows(IngestException.class,
                () -> f.ingest(Api.QUERY, 4, IngestOptions.DEFAULT, failLater));
        assertTrue(e.getMessage().contains("HTTP 502"), e.getMessage());
        assertTrue(e.getMessage().contains("gave up after 4 attempts"), e.getMessage());
        // Pages read ahead before the faults were queued still commit; the first page asked for after them fails.
        int pages = (int) f.count("SELECT pages FROM ingest.runs");
        assertTrue(pages >= 2 && pages <= 5, "pages: " + pages);
        assertTrue(e.getMessage().contains("after " + pages + " committed pages (" + 4 * pages + " events)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("watermark 2025-03-01T10:00:" + String.format("%02d", 4 * pages - 1) + "Z"),
                e.getMessage());
        assertEquals(List.of("failed"), f.strings("SELECT status FROM ingest.runs"));
        assertEquals(4 * pages, f.storedIds().size());
        // Started again, the run goes on from the watermark and ends with every event once.
        IngestSummary s = f.ingest(Api.QUERY, 4);
        assertEquals(40, f.storedIds().size());
        assertEquals(40 - 4 * pages, s.inserted());
    }

    @Test
    void aClientErrorEndsTheRunAtOnceWithAHint() throws Exception {
        f.addEvents(0, 3, Duration.ofSeconds(1));
        f.posthog.fail(403, null, 1);
        IngestException e = assertThrows(IngestException.class, () -> f.ingest(Api.QUERY, 10));
        assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
        assertTrue(e.getMessage().contains("check the personal API key"), e.getMessage());
        assertTrue(e.getMessage().contains("with no watermark yet"), e.getMessage());
        assertTrue(!e.getMessage().contains(FakePostHog.KEY));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void malformedEventsGoToRejectsWithTheirReasonAndTheRunGoesOn(Api api) throws Exception {
        f.addEvents(0, 6, Duration.ofSeconds(10));
        Instant t = IngestFixture.T0;
        ObjectNode noUuid = IngestFixture.event(100, t.plusSeconds(1));
        noUuid.remove("id");
        f.events.add(t.plusSeconds(1), "z1", noUuid);
        ObjectNode noName = IngestFixture.event(101, t.plusSeconds(2));
        noName.remove("event");
        f.events.add(noName);
        ObjectNode badTime = IngestFixture.event(102, t.plusSeconds(3));
        badTime.put("timestamp", "yesterday-ish");
        f.events.add(t.plusSeconds(3), IngestFixture.uuid(102), badTime);
        ObjectNode noTime = IngestFixture.event(103, t.plusSeconds(4));
        noTime.remove("timestamp");
        f.events.add(t.plusSeconds(4), IngestFixture.uuid(103), noTime);
        ObjectNode arrayProps = IngestFixture.event(104, t.plusSeconds(5));
        arrayProps.putArray("properties").add(1);
        f.events.add(arrayProps);
        ObjectNode nul = IngestFixture.event(105, t.plusSeconds(6));
        ((ObjectNode) nul.get("properties")).put("$title", "a\u0000b");
        f.events.add(nul);
        ObjectNode tricky = IngestFixture.event(106, t.plusSeconds(7)); // valid: tabs, newlines, backslashes, quotes
        ((ObjectNode) tricky.get("properties")).put("$title", "tab\there\nnew \\N line \\ \"q\" é 🚀");
        f.events.add(tricky);

        IngestSummary s = f.ingest(api, 4);
        assertEquals(7, s.inserted());
        // A row whose (timestamp, uuid) is unreadable cannot be paged past, so it may be read (and refused) twice.
        assertEquals(s.fetched(), s.inserted() + s.duplicates() + s.rejected());
        assertEquals(List.of("missing event name", "missing timestamp", "missing uuid",
                        "properties are not a JSON object but array",
                        "properties contain \\u0000, which PostgreSQL's jsonb cannot store",
                        "unreadable timestamp: yesterday-ish"),
                f.strings("SELECT reason FROM ingest.rejects ORDER BY 1"));
        assertEquals(List.of("tab\there\nnew \\N line \\ \"q\" é 🚀"), f.strings(
                "SELECT properties ->> '$title' FROM web_analytics.posthog_events WHERE event_id = '"
                        + IngestFixture.uuid(106) + "'"));
        // The raw JSON is kept as received.
        assertTrue(f.strings("SELECT raw FROM ingest.rejects WHERE reason = 'unreadable timestamp: yesterday-ish'")
                .get(0).contains("yesterday-ish"));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void lateEventsBehindTheWatermarkArePickedUpByTheLookback(Api api) throws Exception {
        f.addEvents(0, 10, Duration.ofMinutes(1));
        IngestSummary first = f.ingest(api, 4);
        assertEquals(10, first.inserted());
        // PostHog received an event late: its timestamp is 5 minutes behind the watermark.
        Instant late = first.watermark().minus(Duration.ofMinutes(5));
        f.events.add(IngestFixture.event(500, late));
        IngestSummary second = f.ingest(api, 4);
        assertEquals(1, second.inserted());
        assertTrue(second.duplicates() >= 5, "re-read within the lookback: " + second.duplicates());
        assertEquals(11, f.storedIds().size());
        assertEquals(first.watermark(), second.watermark());
        // Without a lookback, only what lies beyond the watermark is read.
        f.events.add(IngestFixture.event(501, late.plusSeconds(1)));
        f.addEvents(10, 1, Duration.ofMinutes(1));
        IngestSummary third = f.ingest(api, 4, IngestOptions.DEFAULT.withLookback(Duration.ZERO), IngestProgress.NONE);
        assertEquals(1, third.inserted());
        assertEquals(0, third.duplicates() - (api == Api.EVENTS ? third.duplicates() : 0));
    }

    @Test
    void martsOfTheTouchedDaysMatchAFullRebuildAndChecksAreRecorded() throws Exception {
        f.addEvents(0, 40, Duration.ofHours(3)); // five days
        ObjectNode noUrl = IngestFixture.event(900, IngestFixture.T0.plusSeconds(30));
        ((ObjectNode) noUrl.get("properties")).remove("$current_url");
        f.events.add(noUrl);
        IngestSummary s = f.ingest(Api.QUERY, 9);
        assertEquals(41, s.inserted());
        assertEquals(41L, f.count("SELECT sum(total_events) FROM web_analytics.daily_summary"));
        assertEquals(41L, f.count("SELECT sum(events) FROM web_analytics.mart_events_daily"));
        assertEquals(0L, f.count("SELECT count(*) FROM (SELECT event_day, count(DISTINCT user_id) n"
                + " FROM web_analytics.stg_events GROUP BY 1) r FULL JOIN web_analytics.mart_daily_active_users m"
                + " ON m.day = r.event_day WHERE m.active_users IS DISTINCT FROM r.n"));
        assertEquals(0L, f.count("SELECT count(*) FROM (SELECT event_day, page, count(*) n FROM web_analytics.stg_pageviews"
                + " GROUP BY 1, 2) r FULL JOIN web_analytics.mart_page_views_daily m ON m.day = r.event_day"
                + " AND m.page = coalesce(r.page, '(none)') WHERE m.page_views IS DISTINCT FROM r.n"));
        QualityCheck url = s.checks().stream().filter(c -> c.name().equals("pageviews_have_current_url")).findFirst()
                .orElseThrow();
        assertEquals(1, url.failingRows());
        assertEquals(List.of("pageviews_have_current_url"),
                f.strings("SELECT check_name FROM ingest.quality_checks WHERE NOT passed"));
        assertNotNull(s.watermark());
    }

    @Test
    void aSecondRunAtTheSameTimeIsRefused() throws Exception {
        f.addEvents(0, 30, Duration.ofSeconds(1));
        f.posthog.delayMillis(200);
        java.util.concurrent.CountDownLatch firstPage = new java.util.concurrent.CountDownLatch(1);
        Thread other = new Thread(() -> {
            try {
                f.ingest(Api.QUERY, 5, IngestOptions.DEFAULT, (pages, fetched, inserted, mark) -> firstPage.countDown());
            } catch (IngestException e) {
                throw new IllegalStateException(e);
            }
        });
        other.start();
        // Under way for sure (a sleep was not, on a loaded machine): it has committed a page and has more to read.
        assertTrue(firstPage.await(30, java.util.concurrent.TimeUnit.SECONDS));
        IngestException e = assertThrows(IngestException.class, () -> f.ingest(Api.QUERY, 5));
        assertTrue(e.getMessage().contains("another ingest run"), e.getMessage());
        other.join();
        assertEquals(30, f.storedIds().size());
    }
}
