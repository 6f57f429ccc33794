-- Synthetic PostHog-shaped events, spread over the 180 days before now. Parameters: first event number, count,
-- number of users. Deterministic for given parameters (the id and every choice derive from the event number), so a
-- sandbox built twice holds the same events apart from their position relative to now().
WITH numbered AS (
  SELECT g,
         ('x' || substr(md5('pgdeck-sandbox-' || g), 1, 8))::bit(32)::bigint AS h1,
         ('x' || substr(md5('pgdeck-sandbox-' || g), 9, 8))::bit(32)::bigint AS h2,
         ('x' || substr(md5('pgdeck-sandbox-' || g), 17, 8))::bit(32)::bigint AS h3
  FROM generate_series(?::bigint, ?::bigint + ? - 1) AS g
), shaped AS (
  SELECT g,
         md5('pgdeck-sandbox-' || g)::uuid::text AS event_id,
         CASE WHEN h1 % 100 < 62 THEN '$pageview'
              WHEN h1 % 100 < 80 THEN '$autocapture'
              WHEN h1 % 100 < 92 THEN '$pageleave'
              WHEN h1 % 100 < 97 THEN 'signed_up'
              ELSE 'purchase' END AS event_name,
         -- Users and pages follow a skewed distribution, as real traffic does.
         'user-' || (1 + floor(power((h2 % 100000) / 100000.0, 2) * ?))::int AS user_id,
         (ARRAY['/', '/pricing', '/docs', '/docs/install', '/blog/postgres-pitr', '/blog/zfs-snapshots',
                '/signup', '/login', '/dashboard', '/settings'])[1 + floor(power((h3 % 1000) / 1000.0, 1.8) * 10)::int]
           AS path,
         now() - make_interval(secs => (h3 % 15552000)) AS ts
  FROM numbered
)
INSERT INTO web_analytics.posthog_events (event_id, event_name, properties, timestamp, user_id, session_id)
SELECT event_id,
       event_name,
       jsonb_strip_nulls(jsonb_build_object(
         'distinct_id', user_id,
         '$session_id', user_id || '-' || to_char(ts, 'YYYYMMDD-HH24'),
         '$current_url', CASE WHEN event_name IN ('$pageview', '$pageleave') THEN 'https://shop.example.com' || path END,
         '$pathname', CASE WHEN event_name IN ('$pageview', '$pageleave') THEN path END,
         '$browser', (ARRAY['Chrome', 'Firefox', 'Safari', 'Edge'])[1 + (g % 4)::int],
         '$lib', 'web')),
       ts,
       user_id,
       user_id || '-' || to_char(ts, 'YYYYMMDD-HH24')
FROM shaped
ON CONFLICT (event_id) DO NOTHING
