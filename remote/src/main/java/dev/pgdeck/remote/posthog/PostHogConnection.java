package dev.pgdeck.remote.posthog;

import java.net.URI;
import java.time.Duration;

/**
 * Where PostHog is and how to read it. {@code pageSize}: events per request (the Query API allows up to 50,000; each
 * page is one warehouse transaction). {@code timeout}: until the response headers arrive, and the
 * longest silence inside a response's body.
 */
public record PostHogConnection(URI baseUri, String projectId, ApiKey key, int pageSize, Duration timeout,
                                RetryPolicy retry) {
    public PostHogConnection {
        if (!projectId.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("not a PostHog project id: " + projectId);
        }
        if (pageSize < 1 || pageSize > 50_000) {
            throw new IllegalArgumentException("page size must be 1..50000, not " + pageSize);
        }
        String s = baseUri.toString();
        if (!s.endsWith("/")) {
            baseUri = URI.create(s + "/");
        }
    }

    public static PostHogConnection of(URI baseUri, String projectId, ApiKey key) {
        return new PostHogConnection(baseUri, projectId, key, 10_000, Duration.ofSeconds(120), RetryPolicy.DEFAULT);
    }

    public PostHogConnection withPageSize(int size) {
        return new PostHogConnection(baseUri, projectId, key, size, timeout, retry);
    }

    public PostHogConnection withTimeout(Duration limit) {
        return new PostHogConnection(baseUri, projectId, key, pageSize, limit, retry);
    }

    public PostHogConnection withRetry(RetryPolicy policy) {
        return new PostHogConnection(baseUri, projectId, key, pageSize, timeout, policy);
    }

    URI projectUri(String path) {
        return baseUri.resolve("api/projects/" + projectId + "/" + path);
    }
}
