-- Ingestion bookkeeping, apart from the analytics tables: runs, watermarks, rejected events, data-quality results.
CREATE SCHEMA IF NOT EXISTS ingest;

CREATE TABLE ingest.runs (
  id BIGSERIAL PRIMARY KEY,
  source TEXT NOT NULL,
  project_id TEXT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ,
  -- running: under way (or killed: the next run marks it interrupted); succeeded; failed.
  status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
  fetched BIGINT NOT NULL DEFAULT 0,
  inserted BIGINT NOT NULL DEFAULT 0,
  duplicates BIGINT NOT NULL DEFAULT 0,
  rejected BIGINT NOT NULL DEFAULT 0,
  pages INTEGER NOT NULL DEFAULT 0,
  seconds NUMERIC(12, 3),
  watermark_time TIMESTAMPTZ,
  watermark_uuid TEXT,
  error TEXT
);
CREATE INDEX runs_source_project_idx ON ingest.runs (source, project_id, id DESC);

-- Where the next run goes on from: the (timestamp, uuid) of the last committed event, moved in the same transaction
-- as that event's insert.
CREATE TABLE ingest.watermarks (
  source TEXT NOT NULL,
  project_id TEXT NOT NULL,
  last_time TIMESTAMPTZ NOT NULL,
  last_uuid TEXT,
  run_id BIGINT REFERENCES ingest.runs (id),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (source, project_id)
);

-- Events the warehouse refused, as received, with the reason. Read again (lookback), an event is kept once.
CREATE TABLE ingest.rejects (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT REFERENCES ingest.runs (id),
  source TEXT NOT NULL,
  project_id TEXT NOT NULL,
  raw TEXT NOT NULL,
  reason TEXT NOT NULL,
  rejected_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX rejects_once_idx ON ingest.rejects (source, project_id, md5(raw));

CREATE TABLE ingest.quality_checks (
  run_id BIGINT NOT NULL REFERENCES ingest.runs (id),
  check_name TEXT NOT NULL,
  passed BOOLEAN NOT NULL,
  failing_rows BIGINT NOT NULL,
  detail TEXT,
  checked_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, check_name)
);

GRANT USAGE ON SCHEMA ingest TO analytics_readonly, analytics_writer;
GRANT SELECT ON ALL TABLES IN SCHEMA ingest TO analytics_readonly;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ingest TO analytics_writer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ingest TO analytics_writer;
