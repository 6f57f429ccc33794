package dev.pgdeck.app;

import dev.pgdeck.remote.ingest.IngestEngine;
import dev.pgdeck.remote.ingest.IngestException;
import dev.pgdeck.remote.ingest.IngestOptions;
import dev.pgdeck.remote.ingest.IngestProgress;
import dev.pgdeck.remote.ingest.IngestSummary;
import dev.pgdeck.remote.ingest.QualityCheck;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.pg.JdbcDataSource;
import dev.pgdeck.remote.posthog.ApiKey;
import dev.pgdeck.remote.posthog.EventSource;
import dev.pgdeck.remote.posthog.EventsApiSource;
import dev.pgdeck.remote.posthog.PostHogConnection;
import dev.pgdeck.remote.posthog.QueryApiSource;
import dev.pgdeck.remote.posthog.RetryPolicy;
import dev.pgdeck.remote.posthog.Timestamps;
import dev.pgdeck.remote.secret.OsKeyring;
import dev.pgdeck.remote.secret.SecretException;
import dev.pgdeck.remote.secret.SecretFile;
import dev.pgdeck.remote.warehouse.WarehouseException;
import dev.pgdeck.remote.warehouse.WarehouseMigrations;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The host's hourly job: migrate the warehouse, then ingest from PostHog headless and print a JSON summary. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Apply pending warehouse migrations, then copy PostHog events into web_analytics.posthog_events"
                + " from the watermark on (or from --since). Prints {\"fetched\", \"inserted\", \"duplicates\","
                + " \"rejected\", \"pages\", \"seconds\", \"watermark\"}; exits non-zero on failure.")
final class IngestCommand implements Callable<Integer> {
    enum Api { query, events }

    @Option(names = "--api", defaultValue = "query",
            description = "query: the Query API (HogQL, default); events: the legacy events API of older PostHog.")
    Api api;

    @Option(names = "--posthog-url", required = true, description = "e.g. https://eu.posthog.com")
    URI posthogUrl;

    @Option(names = "--project-id", required = true)
    String projectId;

    /** Where the personal API key comes from: exactly one of a file or the OS keyring. */
    static final class KeySource {
        @Option(names = "--api-key-file", required = true,
                description = "File holding the personal API key; must not be readable by group or others.")
        Path file;

        @Option(names = "--api-key-from-keyring", required = true,
                description = "Take the key from the OS keyring (Secret Service), as the ingest wizard saved it for"
                        + " this PostHog URL and project.")
        boolean keyring;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    KeySource keySource;

    @Option(names = "--jdbc-url", required = true,
            description = "e.g. jdbc:postgresql://localhost/analytics?user=analytics_writer&sslmode=require")
    String jdbcUrl;

    @Option(names = "--db-password-file",
            description = "File holding the database password (else ~/.pgpass or the URL's password).")
    Path dbPasswordFile;

    @Option(names = "--since", description = "Backfill from this time (ISO-8601), instead of the watermark.")
    String since;

    @Option(names = "--until", description = "Stop at this time (exclusive, ISO-8601).")
    String until;

    @Option(names = "--lookback", defaultValue = "PT1H",
            description = "Read again this far behind the watermark, for late events (ISO-8601 duration).")
    Duration lookback;

    @Option(names = "--page-size", defaultValue = "10000", description = "Events per request and per transaction.")
    int pageSize;

    @Option(names = "--max-attempts", defaultValue = "8",
            description = "Tries per request before the run gives up (429, 5xx, timeouts; with backoff up to 60 s).")
    int maxAttempts;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Instant from = time("--since", since);
            Instant to = time("--until", until);
            DataSource db = JdbcDataSource.of(jdbcUrl, "pgdeck ingest",
                    dbPasswordFile == null ? null : SecretFile.read(dbPasswordFile, "the database password file"));
            int applied = new WarehouseMigrations(db).migrate();
            if (applied > 0) {
                err.println("pgdeck ingest: applied " + applied + " warehouse migration(s)");
            }
            PostHogConnection connection = PostHogConnection.of(posthogUrl, projectId, apiKey())
                    .withPageSize(pageSize)
                    .withRetry(new RetryPolicy(maxAttempts, RetryPolicy.DEFAULT.base(), RetryPolicy.DEFAULT.maxWait(),
                            RetryPolicy.DEFAULT.maxRetryAfter()));
            EventSource source = api == Api.query ? new QueryApiSource(connection, to)
                    : new EventsApiSource(connection, to);
            IngestOptions options = IngestOptions.DEFAULT.withLookback(lookback).withSince(from);
            IngestSummary s = new IngestEngine(db, source, options, IngestProgress.NONE).run();
            for (QualityCheck c : s.checks()) {
                if (!c.passed()) {
                    err.println("pgdeck ingest: data-quality check " + c.name() + " failed: " + c.detail());
                }
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("fetched", s.fetched());
            json.put("inserted", s.inserted());
            json.put("duplicates", s.duplicates());
            json.put("rejected", s.rejected());
            json.put("pages", s.pages());
            json.put("seconds", Math.round(s.seconds() * 1000) / 1000.0);
            json.put("watermark", s.watermark() == null ? null : s.watermark().toString());
            out.println(Json.mapper().writeValueAsString(json));
            out.flush();
            return 0;
        } catch (IngestException | WarehouseException | SecretException | IOException | IllegalArgumentException e) {
            err.println("pgdeck ingest: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private ApiKey apiKey() throws IOException, SecretException {
        return keySource.keyring ? ApiKey.fromKeyring(OsKeyring.system(), posthogUrl, projectId)
                : ApiKey.fromFile(keySource.file);
    }

    private static Instant time(String option, String text) {
        if (text == null) {
            return null;
        }
        Instant t = text.length() == 10 ? Timestamps.parse(text + "T00:00:00Z") : Timestamps.parse(text);
        if (t == null) {
            throw new IllegalArgumentException(option + " is not a time: " + text
                    + " (use e.g. 2025-03-01 or 2025-03-01T10:00:00Z)");
        }
        return t;
    }
}
