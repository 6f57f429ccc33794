-- Marts: small tables for BI, rebuilt per day by refresh_marts (only the days an ingest run touched, plus a lookback).
CREATE TABLE web_analytics.mart_daily_active_users (
  day DATE PRIMARY KEY,
  active_users INTEGER NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE web_analytics.mart_page_views_daily (
  day DATE NOT NULL,
  page TEXT NOT NULL,
  page_views INTEGER NOT NULL,
  unique_users INTEGER NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (day, page)
);

CREATE TABLE web_analytics.mart_events_daily (
  day DATE NOT NULL,
  event_name VARCHAR(255) NOT NULL,
  events INTEGER NOT NULL,
  unique_users INTEGER NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (day, event_name)
);

-- Rebuilds every mart for the given UTC days. Delete-and-insert per day keeps it idempotent; the range predicate on
-- event_time lets each day use the timestamp index instead of scanning the raw table.
CREATE OR REPLACE FUNCTION web_analytics.refresh_marts(days DATE[]) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  d DATE;
  lo TIMESTAMPTZ;
  hi TIMESTAMPTZ;
  n INTEGER := 0;
BEGIN
  FOREACH d IN ARRAY coalesce(days, '{}'::date[]) LOOP
    lo := d::timestamp AT TIME ZONE 'UTC';
    hi := lo + interval '1 day';

    DELETE FROM web_analytics.daily_summary WHERE date = d;
    INSERT INTO web_analytics.daily_summary (date, total_events, unique_users, page_views, sessions, updated_at)
    SELECT d, count(*), count(DISTINCT user_id), count(*) FILTER (WHERE event_name = '$pageview'),
           count(DISTINCT session_id), now()
    FROM web_analytics.stg_events WHERE event_time >= lo AND event_time < hi
    HAVING count(*) > 0;

    DELETE FROM web_analytics.mart_daily_active_users WHERE day = d;
    INSERT INTO web_analytics.mart_daily_active_users (day, active_users)
    SELECT d, count(DISTINCT user_id)
    FROM web_analytics.stg_events WHERE event_time >= lo AND event_time < hi
    HAVING count(*) > 0;

    DELETE FROM web_analytics.mart_page_views_daily WHERE day = d;
    INSERT INTO web_analytics.mart_page_views_daily (day, page, page_views, unique_users)
    SELECT d, coalesce(page, '(none)'), count(*), count(DISTINCT user_id)
    FROM web_analytics.stg_pageviews WHERE event_time >= lo AND event_time < hi
    GROUP BY coalesce(page, '(none)');

    DELETE FROM web_analytics.mart_events_daily WHERE day = d;
    INSERT INTO web_analytics.mart_events_daily (day, event_name, events, unique_users)
    SELECT d, event_name, count(*), count(DISTINCT user_id)
    FROM web_analytics.stg_events WHERE event_time >= lo AND event_time < hi
    GROUP BY event_name;

    n := n + 1;
  END LOOP;
  RETURN n;
END
$$;

-- Fill the marts from whatever the raw table already holds (a seed-000 warehouse has months of events).
SELECT web_analytics.refresh_marts(ARRAY(
  SELECT DISTINCT (timestamp AT TIME ZONE 'UTC')::date FROM web_analytics.posthog_events));

GRANT SELECT ON web_analytics.mart_daily_active_users, web_analytics.mart_page_views_daily,
  web_analytics.mart_events_daily TO analytics_readonly;
GRANT SELECT, INSERT, UPDATE, DELETE ON web_analytics.mart_daily_active_users, web_analytics.mart_page_views_daily,
  web_analytics.mart_events_daily TO analytics_writer;
