-- Seed 000's daily_summary, rebuilt from the raw events.
INSERT INTO web_analytics.daily_summary AS s (date, total_events, unique_users, page_views, sessions, updated_at)
SELECT timestamp::date,
       count(*),
       count(DISTINCT user_id),
       count(*) FILTER (WHERE event_name = '$pageview'),
       count(DISTINCT session_id),
       now()
FROM web_analytics.posthog_events
GROUP BY 1
ON CONFLICT (date) DO UPDATE
SET total_events = excluded.total_events, unique_users = excluded.unique_users, page_views = excluded.page_views,
    sessions = excluded.sessions, updated_at = excluded.updated_at
