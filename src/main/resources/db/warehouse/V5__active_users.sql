-- Active users over rolling windows (DAU, WAU = 7 days, MAU = 30 days), exact. Distinct users do not add up across
-- days, so the daily counts of V3 cannot give them: keep who was active on each day, and the rolling counts per day.
CREATE TABLE web_analytics.mart_daily_users (
  day DATE NOT NULL,
  user_id VARCHAR(255) NOT NULL,
  PRIMARY KEY (day, user_id)
);
-- The per-user walk of refresh_active_users reads it in user order.
CREATE INDEX mart_daily_users_user_idx ON web_analytics.mart_daily_users (user_id, day);

CREATE TABLE web_analytics.mart_active_users (
  day DATE PRIMARY KEY,
  dau INTEGER NOT NULL,
  wau INTEGER NOT NULL,
  mau INTEGER NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Rebuilds mart_active_users for the days lo..hi (those up to the last day with activity). A user active on day x is
-- counted in the window of every day from x to x+6 (WAU) or x+29 (MAU): merge each user's covered days into runs,
-- count +1 where a run starts and -1 after it ends, and sum. One pass over the daily users of lo-29..hi, instead of
-- a distinct count over 30 days for every day.
CREATE OR REPLACE FUNCTION web_analytics.refresh_active_users(lo DATE, hi DATE) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  last_day DATE;
  n INTEGER;
BEGIN
  SELECT max(day) INTO last_day FROM web_analytics.mart_daily_users;
  IF last_day IS NULL OR lo IS NULL THEN
    DELETE FROM web_analytics.mart_active_users;
    RETURN 0;
  END IF;
  hi := least(coalesce(hi, last_day), last_day);
  DELETE FROM web_analytics.mart_active_users WHERE day >= lo AND (day <= hi OR day > last_day);
  IF hi < lo THEN
    RETURN 0;
  END IF;
  WITH du AS (
    SELECT user_id, day FROM web_analytics.mart_daily_users WHERE day >= lo - 29 AND day <= hi
  ), starts AS (
    SELECT user_id, day,
           CASE WHEN day - lag(day) OVER w <= 7 THEN 0 ELSE 1 END AS new_week_run,
           CASE WHEN day - lag(day) OVER w <= 30 THEN 0 ELSE 1 END AS new_month_run
    FROM du WINDOW w AS (PARTITION BY user_id ORDER BY day)
  ), runs AS (
    SELECT user_id, day,
           sum(new_week_run) OVER w AS week_run,
           sum(new_month_run) OVER w AS month_run
    FROM starts WINDOW w AS (PARTITION BY user_id ORDER BY day)
  ), week_deltas AS (
    SELECT min(day) AS d, 1 AS w, 0 AS m FROM runs GROUP BY user_id, week_run
    UNION ALL
    SELECT max(day) + 7, -1, 0 FROM runs GROUP BY user_id, week_run
  ), month_deltas AS (
    SELECT min(day) AS d, 0 AS w, 1 AS m FROM runs GROUP BY user_id, month_run
    UNION ALL
    SELECT max(day) + 30, 0, -1 FROM runs GROUP BY user_id, month_run
  ), deltas AS (
    SELECT d, sum(w) AS w, sum(m) AS m FROM (SELECT * FROM week_deltas UNION ALL SELECT * FROM month_deltas) x GROUP BY d
  ), rolling AS (
    SELECT g::date AS day,
           sum(coalesce(deltas.w, 0)) OVER (ORDER BY g) AS wau,
           sum(coalesce(deltas.m, 0)) OVER (ORDER BY g) AS mau
    FROM generate_series(lo - 29, hi, interval '1 day') g LEFT JOIN deltas ON deltas.d = g::date
  )
  INSERT INTO web_analytics.mart_active_users (day, dau, wau, mau)
  SELECT r.day, coalesce(a.active_users, 0), r.wau, r.mau
  FROM rolling r LEFT JOIN web_analytics.mart_daily_active_users a ON a.day = r.day
  WHERE r.day >= lo;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

-- V3's refresh, plus the daily users of each day and the rolling counts the changed days reach (up to 29 days later).
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
  END IF;
  RETURN n;
END
$$;

-- Fill the new marts from what the raw table holds.
INSERT INTO web_analytics.mart_daily_users (day, user_id)
SELECT DISTINCT event_day, user_id FROM web_analytics.stg_events WHERE user_id IS NOT NULL;
SELECT web_analytics.refresh_active_users((SELECT min(day) FROM web_analytics.mart_daily_users), NULL);

GRANT SELECT ON web_analytics.mart_daily_users, web_analytics.mart_active_users TO analytics_readonly;
GRANT SELECT, INSERT, UPDATE, DELETE ON web_analytics.mart_daily_users, web_analytics.mart_active_users
  TO analytics_writer;
