-- The warehouse of seed 000 as the sandbox created it before pgdeck had migrations: the starting point the
-- migrations must apply on top of (WarehouseMigrationsTest).
-- Passwords: the sandbox listens on 127.0.0.1 only and trusts local connections, so the roles have none.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics_readonly') THEN
    CREATE ROLE analytics_readonly LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics_writer') THEN
    CREATE ROLE analytics_writer LOGIN;
  END IF;
END
$$;

CREATE SCHEMA IF NOT EXISTS web_analytics;

CREATE TABLE IF NOT EXISTS web_analytics.posthog_events (
  event_id VARCHAR(255) UNIQUE NOT NULL,
  event_name VARCHAR(255) NOT NULL,
  properties JSONB NOT NULL DEFAULT '{}',
  timestamp TIMESTAMPTZ NOT NULL,
  user_id VARCHAR(255),
  session_id VARCHAR(255),
  created_at TIMESTAMPTZ DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS idx_posthog_timestamp ON web_analytics.posthog_events(timestamp DESC);
CREATE INDEX IF NOT EXISTS idx_posthog_event_name ON web_analytics.posthog_events(event_name);
CREATE INDEX IF NOT EXISTS idx_posthog_user_id ON web_analytics.posthog_events(user_id) WHERE user_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_posthog_properties ON web_analytics.posthog_events USING GIN(properties);

CREATE TABLE IF NOT EXISTS web_analytics.daily_summary (
  date DATE PRIMARY KEY,
  total_events INTEGER DEFAULT 0,
  unique_users INTEGER DEFAULT 0,
  page_views INTEGER DEFAULT 0,
  sessions INTEGER DEFAULT 0,
  updated_at TIMESTAMPTZ DEFAULT NOW()
);

GRANT CONNECT ON DATABASE analytics TO analytics_readonly, analytics_writer;
GRANT USAGE ON SCHEMA web_analytics TO analytics_readonly;
GRANT SELECT ON ALL TABLES IN SCHEMA web_analytics TO analytics_readonly;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA web_analytics TO analytics_readonly;
ALTER DEFAULT PRIVILEGES IN SCHEMA web_analytics GRANT SELECT ON TABLES TO analytics_readonly;
GRANT ALL PRIVILEGES ON SCHEMA web_analytics TO analytics_writer;
GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA web_analytics TO analytics_writer;
GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA web_analytics TO analytics_writer;
