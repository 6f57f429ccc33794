-- Raw layer: seed 000's tables, column for column, so its Metabase queries keep working. Idempotent, because it
-- also runs on top of a warehouse that seed 000 (or the sandbox's warehouse.sql) created before migrations existed.
-- Roles get no password here: a login and its password are set by the operator, outside version control.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics_readonly') THEN
    CREATE ROLE analytics_readonly NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics_writer') THEN
    CREATE ROLE analytics_writer NOLOGIN;
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

DO $$
BEGIN
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO analytics_readonly, analytics_writer', current_database());
END
$$;
GRANT USAGE ON SCHEMA web_analytics TO analytics_readonly;
GRANT USAGE, CREATE ON SCHEMA web_analytics TO analytics_writer;
-- Read-only means SELECT and nothing else, whatever was granted before.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA web_analytics FROM analytics_readonly;
GRANT SELECT ON ALL TABLES IN SCHEMA web_analytics TO analytics_readonly;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA web_analytics TO analytics_writer;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA web_analytics TO analytics_writer;
