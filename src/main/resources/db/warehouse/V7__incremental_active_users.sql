-- Incremental refresh of the distinct-user marts. V6 rebuilt every touched week and month bucket and 30+ days of
-- rolling counts from all daily users: over a second for an hour of new events on a large warehouse (the goal is under
-- one). Now refresh_marts diffs each refreshed day's users against those kept, and only the (day, user) pairs that are
-- new update the buckets and the rolling counts, through the days of the users they belong to. A day that lost users
-- (rows deleted from the raw table), a very large change (a backfill) or a first refresh takes V6's full path.
--
-- The rolling counts reach past the last day with activity: a user active today still counts in the WAU of the next
-- 6 days and the MAU of the next 29, and tomorrow's counts start from those. They are kept apart, in
-- mart_active_users_ahead, so the charts (reading mart_active_users) never show a day that has not happened yet.
CREATE TABLE web_analytics.mart_active_users_ahead (
  day DATE PRIMARY KEY,
  wau INTEGER NOT NULL,
  mau INTEGER NOT NULL
);

-- V5's full rebuild of lo..hi, now running to 29 days past the last day with activity, those days kept ahead.
CREATE OR REPLACE FUNCTION web_analytics.refresh_active_users(lo DATE, hi DATE) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  last_day DATE;
  n INTEGER;
BEGIN
  SELECT max(day) INTO last_day FROM web_analytics.mart_daily_users;
  IF last_day IS NULL OR lo IS NULL THEN
    DELETE FROM web_analytics.mart_active_users;
    DELETE FROM web_analytics.mart_active_users_ahead;
    RETURN 0;
  END IF;
  hi := least(coalesce(hi, last_day + 29), last_day + 29);
  DELETE FROM web_analytics.mart_active_users WHERE day >= lo AND (day <= hi OR day > last_day);
  DELETE FROM web_analytics.mart_active_users_ahead WHERE day <= last_day OR (day >= lo AND day <= hi);
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
  ), kept AS (
    INSERT INTO web_analytics.mart_active_users (day, dau, wau, mau)
    SELECT r.day, coalesce(a.active_users, 0), r.wau, r.mau
    FROM rolling r LEFT JOIN web_analytics.mart_daily_active_users a ON a.day = r.day
    WHERE r.day >= lo AND r.day <= last_day
    RETURNING 1
  ), ahead AS (
    INSERT INTO web_analytics.mart_active_users_ahead (day, wau, mau)
    SELECT day, wau, mau FROM rolling WHERE day >= lo AND day > last_day
    RETURNING 1
  )
  SELECT count(*) INTO n FROM kept;
  RETURN n;
END
$$;

-- New (day, user) pairs into the week and month buckets: a user new to a bucket adds one to its count.
CREATE OR REPLACE FUNCTION web_analytics.add_period_users(new_days DATE[], new_users VARCHAR(255)[]) RETURNS VOID
LANGUAGE sql AS $$
  WITH pairs AS (
    SELECT p AS period, date_trunc(p, x.day::timestamp)::date AS bucket, x.user_id,
           min(x.day) AS first_day, max(x.day) AS last_day
    FROM unnest(new_days, new_users) x(day, user_id), unnest(ARRAY['week', 'month']) p
    GROUP BY 1, 2, 3
  ), merged AS (
    INSERT INTO web_analytics.mart_period_users AS t (period, bucket, user_id, first_day, last_day)
    SELECT period, bucket, user_id, first_day, last_day FROM pairs
    ON CONFLICT (period, bucket, user_id) DO UPDATE
      SET first_day = least(t.first_day, excluded.first_day), last_day = greatest(t.last_day, excluded.last_day)
    RETURNING t.period, t.bucket, (t.xmax = 0) AS is_new_user
  )
  INSERT INTO web_analytics.mart_period_active_users AS c (period, bucket, active_users)
  SELECT period, bucket, count(*) FILTER (WHERE is_new_user) FROM merged GROUP BY 1, 2
  ON CONFLICT (period, bucket) DO UPDATE SET active_users = c.active_users + excluded.active_users, updated_at = now();
$$;

-- New (day, user) pairs into the rolling counts. For each day the new pairs can reach (up to 29 days on), how many of
-- their users cover it now against before (their kept days without the new ones): that difference is added to the
-- day's WAU and MAU. Days that became past (up to the new last day) move from ahead to mart_active_users first.
CREATE OR REPLACE FUNCTION web_analytics.add_active_users(new_days DATE[], new_users VARCHAR(255)[]) RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
  lo DATE := (SELECT min(x) FROM unnest(new_days) x);
  hi DATE := (SELECT max(x) FROM unnest(new_days) x) + 29;
  last_day DATE := (SELECT max(day) FROM web_analytics.mart_daily_users);
  kept_until DATE := (SELECT max(day) FROM web_analytics.mart_active_users);
  changed BIGINT;
BEGIN
  IF kept_until < last_day THEN
    INSERT INTO web_analytics.mart_active_users (day, dau, wau, mau)
    SELECT g::date, 0, coalesce(a.wau, 0), coalesce(a.mau, 0)
    FROM generate_series(kept_until + 1, last_day, interval '1 day') g
    LEFT JOIN web_analytics.mart_active_users_ahead a ON a.day = g::date;
    DELETE FROM web_analytics.mart_active_users_ahead WHERE day <= last_day;
  END IF;
  INSERT INTO web_analytics.mart_active_users_ahead (day, wau, mau)
  SELECT g::date, 0, 0 FROM generate_series(last_day + 1, last_day + 29, interval '1 day') g
  ON CONFLICT (day) DO NOTHING;

  WITH fresh AS (
    SELECT DISTINCT x.day, x.user_id FROM unnest(new_days, new_users) x(day, user_id)
  ), touched AS (
    SELECT DISTINCT user_id FROM fresh
  ), activity AS (
    SELECT m.user_id, m.day, f.user_id IS NOT NULL AS is_new
    FROM touched t
    JOIN web_analytics.mart_daily_users m ON m.user_id = t.user_id AND m.day BETWEEN lo - 29 AND hi
    LEFT JOIN fresh f ON f.user_id = m.user_id AND f.day = m.day
  ), covered AS (
    SELECT g::date AS day, a.user_id,
           bool_or(g::date - a.day < 7) AS week_now,
           bool_or(NOT a.is_new AND g::date - a.day < 7) AS week_before,
           bool_or(NOT a.is_new) AS month_before
    FROM activity a, generate_series(greatest(a.day, lo), least(a.day + 29, hi), interval '1 day') g
    GROUP BY 1, 2
  ), delta AS (
    SELECT day, count(*) FILTER (WHERE week_now) - count(*) FILTER (WHERE week_before) AS dw,
           count(*) - count(*) FILTER (WHERE month_before) AS dm
    FROM covered GROUP BY day
  ), kept AS (
    UPDATE web_analytics.mart_active_users m SET wau = m.wau + d.dw, mau = m.mau + d.dm, updated_at = now()
    FROM delta d WHERE d.day = m.day AND (d.dw <> 0 OR d.dm <> 0)
    RETURNING 1
  ), ahead AS (
    UPDATE web_analytics.mart_active_users_ahead m SET wau = m.wau + d.dw, mau = m.mau + d.dm
    FROM delta d WHERE d.day = m.day AND (d.dw <> 0 OR d.dm <> 0)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM kept) + (SELECT count(*) FROM ahead) INTO changed;

  UPDATE web_analytics.mart_active_users m SET dau = a.active_users, updated_at = now()
  FROM web_analytics.mart_daily_active_users a
  WHERE a.day = m.day AND a.day = ANY (new_days) AND m.dau <> a.active_users;
END
$$;

-- V6's refresh, rewritten for speed: the refreshed days' events are read once (the staging view's JSON work done once)
-- into a temporary table that every mart aggregates; each day's users are diffed against those kept instead of
-- replaced, and the distinct-user marts are updated from the new (day, user) pairs alone when nothing was taken away.
CREATE OR REPLACE FUNCTION web_analytics.refresh_marts(days DATE[]) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  first_day DATE;
  last_day DATE;
  n INTEGER;
  fresh_pairs BIGINT;
  new_pairs BIGINT;
  kept_pairs BIGINT;
  new_days DATE[];
  new_users VARCHAR(255)[];
  max_pairs CONSTANT INTEGER := 50000;
BEGIN
  -- Days whose marts already count every event they have are left alone: the raw table only grows (ingestion inserts,
  -- never updates), so an unchanged count is an unchanged day. An hourly run's lookback days usually are; a day that
  -- lost events differs too, and is refreshed. One index-only count per day.
  days := ARRAY(
    SELECT DISTINCT x FROM unnest(days) x
    WHERE (SELECT s.total_events FROM web_analytics.daily_summary s WHERE s.date = x) IS DISTINCT FROM
          (SELECT count(*) FROM web_analytics.posthog_events e
           WHERE e.timestamp >= x::timestamp AT TIME ZONE 'UTC'
             AND e.timestamp < (x + 1)::timestamp AT TIME ZONE 'UTC'));
  first_day := (SELECT min(x) FROM unnest(days) x);
  last_day := (SELECT max(x) FROM unnest(days) x);
  n := cardinality(days);
  IF n = 0 THEN
    RETURN 0;
  END IF;
  -- Room for the grouping to stay in memory (hashed) for a few days' events; this transaction only.
  PERFORM set_config('work_mem', '64MB', true);
  CREATE TEMP TABLE IF NOT EXISTS pgdeck_refresh_events (
    day DATE, event_name VARCHAR(255), user_id VARCHAR(255), session_id VARCHAR(255), page TEXT
  ) ON COMMIT DROP;
  CREATE TEMP TABLE IF NOT EXISTS pgdeck_day_users (day DATE, user_id VARCHAR(255), events BIGINT, page_views BIGINT)
    ON COMMIT DROP;
  CREATE TEMP TABLE IF NOT EXISTS pgdeck_new_pairs (day DATE, user_id VARCHAR(255)) ON COMMIT DROP;
  TRUNCATE pgdeck_refresh_events, pgdeck_day_users, pgdeck_new_pairs;
  INSERT INTO pgdeck_refresh_events (day, event_name, user_id, session_id, page)
  SELECT event_day, event_name, user_id, session_id, page
  FROM web_analytics.stg_events
  WHERE event_time >= first_day::timestamp AT TIME ZONE 'UTC'
    AND event_time < (last_day + 1)::timestamp AT TIME ZONE 'UTC'
    AND event_day = ANY (days);
  -- Distinct counts as grouping (hashed) rather than count(DISTINCT ...) (a sort per group): a user's row per day.
  INSERT INTO pgdeck_day_users (day, user_id, events, page_views)
  SELECT day, user_id, count(*), count(*) FILTER (WHERE event_name = '$pageview')
  FROM pgdeck_refresh_events GROUP BY day, user_id;
  ANALYZE pgdeck_day_users;

  DELETE FROM web_analytics.daily_summary WHERE date = ANY (days);
  INSERT INTO web_analytics.daily_summary (date, total_events, unique_users, page_views, sessions, updated_at)
  SELECT u.day, u.events, u.users, u.page_views, coalesce(s.sessions, 0), now()
  FROM (SELECT day, sum(events) AS events, count(user_id) AS users, sum(page_views) AS page_views
        FROM pgdeck_day_users GROUP BY day) u
  LEFT JOIN (SELECT day, count(session_id) AS sessions
             FROM (SELECT day, session_id FROM pgdeck_refresh_events GROUP BY day, session_id) x GROUP BY day) s
    ON s.day = u.day;

  DELETE FROM web_analytics.mart_daily_active_users WHERE day = ANY (days);
  INSERT INTO web_analytics.mart_daily_active_users (day, active_users)
  SELECT day, count(user_id) FROM pgdeck_day_users GROUP BY day;

  DELETE FROM web_analytics.mart_page_views_daily WHERE day = ANY (days);
  INSERT INTO web_analytics.mart_page_views_daily (day, page, page_views, unique_users)
  SELECT day, page, sum(hits), count(user_id)
  FROM (SELECT day, coalesce(page, '(none)') AS page, user_id, count(*) AS hits FROM pgdeck_refresh_events
        WHERE event_name = '$pageview' GROUP BY 1, 2, 3) x
  GROUP BY day, page;

  DELETE FROM web_analytics.mart_events_daily WHERE day = ANY (days);
  INSERT INTO web_analytics.mart_events_daily (day, event_name, events, unique_users)
  SELECT day, event_name, sum(hits), count(user_id)
  FROM (SELECT day, event_name, user_id, count(*) AS hits FROM pgdeck_refresh_events GROUP BY 1, 2, 3) x
  GROUP BY day, event_name;

  -- Who was active on each day: the pairs not kept yet are the new ones (one anti-join, not a probe per pair).
  WITH inserted AS (
    INSERT INTO web_analytics.mart_daily_users (day, user_id)
    SELECT f.day, f.user_id FROM pgdeck_day_users f
    WHERE f.user_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM web_analytics.mart_daily_users m
                      WHERE m.day = ANY (days) AND m.day = f.day AND m.user_id = f.user_id)
    ON CONFLICT DO NOTHING
    RETURNING day, user_id
  ), recorded AS (
    INSERT INTO pgdeck_new_pairs (day, user_id) SELECT day, user_id FROM inserted
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM recorded) INTO new_pairs;
  SELECT count(*) INTO fresh_pairs FROM pgdeck_day_users WHERE user_id IS NOT NULL;
  -- More pairs kept than there are now: events were deleted from the raw table. Rare, so only then are the days'
  -- pairs compared one by one; the full path below recounts what depends on them.
  SELECT count(*) INTO kept_pairs FROM web_analytics.mart_daily_users WHERE day = ANY (days);
  IF kept_pairs > fresh_pairs THEN
    DELETE FROM web_analytics.mart_daily_users m
    WHERE m.day = ANY (days)
      AND NOT EXISTS (SELECT 1 FROM pgdeck_day_users f WHERE f.day = m.day AND f.user_id = m.user_id);
  END IF;

  -- The new pairs alone are enough when nothing was taken away, the change is not a backfill, and the rolling counts
  -- are kept from before the first refreshed day (and ahead of the last).
  IF kept_pairs > fresh_pairs OR new_pairs > max_pairs
     OR NOT EXISTS (SELECT 1 FROM web_analytics.mart_active_users_ahead)
     OR (SELECT min(day) FROM web_analytics.mart_active_users) IS NULL
     OR first_day < (SELECT min(day) FROM web_analytics.mart_active_users) THEN
    PERFORM web_analytics.refresh_active_users(first_day, last_day + 29);
    PERFORM web_analytics.refresh_period_users(days);
  ELSIF new_pairs > 0 THEN
    SELECT array_agg(day), array_agg(user_id) INTO new_days, new_users FROM pgdeck_new_pairs;
    PERFORM web_analytics.add_period_users(new_days, new_users);
    PERFORM web_analytics.add_active_users(new_days, new_users);
  END IF;
  RETURN n;
END
$$;

-- The days ahead of the last day with activity, from what is kept.
SELECT web_analytics.refresh_active_users((SELECT max(day) FROM web_analytics.mart_daily_users), NULL);

GRANT SELECT ON web_analytics.mart_active_users_ahead TO analytics_readonly;
GRANT SELECT, INSERT, UPDATE, DELETE ON web_analytics.mart_active_users_ahead TO analytics_writer;
