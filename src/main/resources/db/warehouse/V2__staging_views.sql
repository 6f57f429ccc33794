-- Staging: views that clean and cast the raw events; the marts read only these. Days are UTC days.
CREATE OR REPLACE VIEW web_analytics.stg_events AS
SELECT e.event_id,
       e.event_name,
       e.timestamp AS event_time,
       (e.timestamp AT TIME ZONE 'UTC')::date AS event_day,
       coalesce(e.user_id, e.properties ->> 'distinct_id') AS user_id,
       coalesce(e.session_id, e.properties ->> '$session_id') AS session_id,
       e.properties ->> '$current_url' AS current_url,
       -- The page without query string or fragment, so /docs?x=1 and /docs count as one page.
       nullif(split_part(split_part(e.properties ->> '$current_url', '#', 1), '?', 1), '') AS page,
       e.properties,
       e.created_at
FROM web_analytics.posthog_events e;

CREATE OR REPLACE VIEW web_analytics.stg_pageviews AS
SELECT event_id, event_time, event_day, user_id, session_id, current_url, page
FROM web_analytics.stg_events
WHERE event_name = '$pageview';

GRANT SELECT ON web_analytics.stg_events, web_analytics.stg_pageviews TO analytics_readonly, analytics_writer;
