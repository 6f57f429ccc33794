package dev.pgdeck.remote.ingest;

import dev.pgdeck.remote.posthog.ApiKey;
import dev.pgdeck.remote.posthog.EventsApiSource;
import dev.pgdeck.remote.posthog.PostHogConnection;
import dev.pgdeck.remote.posthog.QueryApiSource;
import dev.pgdeck.remote.testing.FakePostHog;
import java.net.URI;
import org.postgresql.ds.PGSimpleDataSource;

/** A run in a JVM of its own, for {@link KilledRunTest} to SIGKILL. Args: posthog-uri jdbc-url query|events page-size. */
public final class IngestChild {
    private IngestChild() {}

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(args[1]);
        ds.setUser("postgres");
        PostHogConnection c = PostHogConnection.of(URI.create(args[0]), "42", ApiKey.of(FakePostHog.KEY))
                .withPageSize(Integer.parseInt(args[3])).withRetry(IngestFixture.FAST);
        var source = args[2].equals("query") ? new QueryApiSource(c, null) : new EventsApiSource(c, null);
        IngestSummary s = new IngestEngine(ds, source, IngestOptions.DEFAULT, IngestProgress.NONE).run();
        System.out.println("finished: " + s);
    }
}
