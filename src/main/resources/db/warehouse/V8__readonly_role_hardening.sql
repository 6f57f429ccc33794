-- analytics_readonly reads and does nothing else, whatever a client (a BI tool, pgdeck's SQL editor, psql) asks for.
-- Grants alone (V1) stop writes to the warehouse's tables, but not what a role may do around them: change its own
-- settings, create temporary tables, create objects in a schema that PUBLIC may create in (public, before
-- PostgreSQL 15), or hold any number of connections.
--
-- Role settings need a superuser (or CREATEROLE with ADMIN on the role): a migrator without that (a database owner
-- running `pgdeck ingest`) gets a warning naming the two statements to run by hand, instead of a failed migration
-- that would stop ingestion.
DO $$
BEGIN
  -- Every transaction of the role starts read-only. A client may still ask for BEGIN READ WRITE: this is a default,
  -- the second lock; pgdeck's editor opens its own READ ONLY transaction and never commits.
  ALTER ROLE analytics_readonly SET default_transaction_read_only = on;
  -- A BI tool's pool (Metabase keeps up to 15) and a few consoles; a runaway client cannot take every connection.
  ALTER ROLE analytics_readonly CONNECTION LIMIT 25;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'analytics_readonly is not hardened (%): as a superuser run ALTER ROLE analytics_readonly SET'
    ' default_transaction_read_only = on; ALTER ROLE analytics_readonly CONNECTION LIMIT 25', SQLERRM;
END
$$;

-- No large objects: lo_create needs no privilege on any table and, unlike a table write, is allowed in a read-only
-- transaction, so a read-only role could fill pg_largeobject. Nothing in the warehouse uses large objects; the
-- functions that create one are revoked from PUBLIC in this database (superusers keep them). This too needs a
-- superuser (the functions' owner).
DO $$
BEGIN
  REVOKE EXECUTE ON FUNCTION pg_catalog.lo_create(oid), pg_catalog.lo_creat(integer),
    pg_catalog.lo_from_bytea(oid, bytea), pg_catalog.lo_import(text), pg_catalog.lo_import(text, oid) FROM PUBLIC;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'large objects are not closed to analytics_readonly (%): as a superuser run REVOKE EXECUTE ON'
    ' FUNCTION lo_create(oid), lo_creat(integer), lo_from_bytea(oid, bytea) FROM PUBLIC', SQLERRM;
END
$$;

-- No temporary tables. TEMP is granted to PUBLIC by default, so revoking it from the role alone would change nothing:
-- it is revoked from PUBLIC in this database and given back to the writer. Another role that needs temporary tables
-- here gets GRANT TEMPORARY ON DATABASE analytics TO it.
DO $$
BEGIN
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC, analytics_readonly', current_database());
  EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO analytics_writer', current_database());
END
$$;

-- No CREATE in any schema, neither granted to the role nor through PUBLIC (public's CREATE for PUBLIC is the pre-15
-- default that CVE-2018-1058 warned about). The writer keeps its own grant on web_analytics (V1).
DO $$
DECLARE
  s record;
BEGIN
  FOR s IN SELECT nspname FROM pg_namespace
           WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_toast%'
             AND nspname NOT LIKE 'pg\_temp\_%'
  LOOP
    BEGIN
      EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC, analytics_readonly', s.nspname);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE WARNING 'could not revoke CREATE on schema % from PUBLIC (%): its owner can', s.nspname, SQLERRM;
    END;
  END LOOP;
END
$$;
