-- Distinct users per week and per month (ISO weeks from Monday, calendar months, UTC days), exact. V5 counted them at
-- query time from mart_daily_users (seconds over 180 days of a large warehouse); keep them per bucket instead, recounted
-- by refresh_marts for the buckets holding the days it refreshed. A chart's range may cut its first and last bucket:
-- who was active in the cut part is who was last active in the bucket on or after the range's start (first bucket),
-- or first active on or before its end (last bucket), so keep each user's first and last day in each bucket too.
CREATE TABLE web_analytics.mart_period_users (
  period TEXT NOT NULL CHECK (period IN ('week', 'month')),
  bucket DATE NOT NULL,
  user_id VARCHAR(255) NOT NULL,
  first_day DATE NOT NULL,
  last_day DATE NOT NULL,
  PRIMARY KEY (period, bucket, user_id)
);
CREATE INDEX mart_period_users_first_idx ON web_analytics.mart_period_users (period, bucket, first_day);
CREATE INDEX mart_period_users_last_idx ON web_analytics.mart_period_users (period, bucket, last_day);

CREATE TABLE web_analytics.mart_period_active_users (
  period TEXT NOT NULL CHECK (period IN ('week', 'month')),
  bucket DATE NOT NULL,
  active_users INTEGER NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (period, bucket)
);

-- Rebuilds the week and month buckets holding any of days (from mart_daily_users, refreshed before).
CREATE OR REPLACE FUNCTION web_analytics.refresh_period_users(days DATE[]) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  p TEXT;
  b DATE;
  n INTEGER := 0;
BEGIN
  FOREACH p IN ARRAY ARRAY['week', 'month'] LOOP
    FOR b IN SELECT DISTINCT date_trunc(p, x::timestamp)::date FROM unnest(coalesce(days, '{}'::date[])) x LOOP
      DELETE FROM web_analytics.mart_period_users WHERE period = p AND bucket = b;
      INSERT INTO web_analytics.mart_period_users (period, bucket, user_id, first_day, last_day)
      SELECT p, b, user_id, min(day), max(day) FROM web_analytics.mart_daily_users
      WHERE day >= b AND day < (b + ('1 ' || p)::interval)::date
      GROUP BY user_id;
      DELETE FROM web_analytics.mart_period_active_users WHERE period = p AND bucket = b;
      INSERT INTO web_analytics.mart_period_active_users (period, bucket, active_users)
      SELECT p, b, count(*) FROM web_analytics.mart_period_users WHERE period = p AND bucket = b
      HAVING count(*) > 0;
      n := n + 1;
    END LOOP;
  END LOOP;
  RETURN n;
END
$$;

-- V5's refresh, plus the week and month buckets of the refreshed days.
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

    DELETE FROM web_analytics.mart_daily_users WHERE day = d;
    INSERT INTO web_analytics.mart_daily_users (day, user_id)
    SELECT DISTINCT d, user_id
    FROM web_analytics.stg_events WHERE event_time >= lo AND event_time < hi AND user_id IS NOT NULL;

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
  IF n > 0 THEN
    PERFORM web_analytics.refresh_active_users((SELECT min(x) FROM unnest(days) x),
                                               (SELECT max(x) FROM unnest(days) x) + 29);
    PERFORM web_analytics.refresh_period_users(days);
  END IF;
  RETURN n;
END
$$;

-- Fill the new marts from the daily users already kept.
INSERT INTO web_analytics.mart_period_users (period, bucket, user_id, first_day, last_day)
SELECT p, date_trunc(p, day::timestamp)::date, user_id, min(day), max(day)
FROM web_analytics.mart_daily_users, unnest(ARRAY['week', 'month']) p
GROUP BY 1, 2, 3;
INSERT INTO web_analytics.mart_period_active_users (period, bucket, active_users)
SELECT period, bucket, count(*) FROM web_analytics.mart_period_users GROUP BY 1, 2;

GRANT SELECT ON web_analytics.mart_period_users, web_analytics.mart_period_active_users TO analytics_readonly;
GRANT SELECT, INSERT, UPDATE, DELETE ON web_analytics.mart_period_users, web_analytics.mart_period_active_users
  TO analytics_writer;
