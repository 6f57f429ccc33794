package dev.pgdeck.remote.posthog;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one request to PostHog and streams its body into a reader, retrying 429 (after Retry-After), 5xx, timeouts
 * broken connections and bodies that stall (no byte for the connection's timeout) with bounded exponential backoff. Other statuses end at once. The key goes in the header only.
 */
final class PostHogHttp {
    /** Reads a 200 response's body, passing events to the sink as they are parsed. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(InputStream body, EventSink sink) throws IOException;
    }

    /** Waits between attempts; tests replace it to run fast. */
    @FunctionalInterface
    interface Sleeper {
        /**
         * Waits out a Retry-After or backoff delay on the engine's worker: a timed, interruptible wait (a cancelled
         * run interrupts it).
         */
        Sleeper REAL = duration -> {
            try {
                CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(duration.toMillis(), TimeUnit.MILLISECONDS)).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("the delay itself failed", e);
            }
        };

        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(PostHogHttp.class);

    private final HttpClient client;
    private final PostHogConnection connection;
    private final Sleeper sleeper;

    PostHogHttp(PostHogConnection connection, Sleeper sleeper) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.connection = connection;
        this.sleeper = sleeper;
    }

    HttpRequest.Builder request(java.net.URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(connection.timeout());
        try {
            builder.header("Authorization", connection.key().authorizationHeader());
        } catch (IllegalArgumentException e) {
            // The JDK's message quotes the whole header, key and all: neither it nor the exception goes further.
            throw new IllegalArgumentException("the PostHog API key cannot be sent as an HTTP header");
        }
        return builder
                .header("Accept", "application/json")
                .header("User-Agent", "pgdeck-ingest");
    }

    <T> T exchange(String what, HttpRequest request, EventSink sink, BodyReader<T> reader) throws PostHogException {
        RetryPolicy policy = connection.retry();
        for (int attempt = 1; ; attempt++) {
            String failure;
            Duration wait;
            try {
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (status == 200) {
                    sink.begin();
                    try (InputStream body = new StallGuardedStream(response.body(), connection.timeout())) {
                        return reader.read(body, sink);
                    } catch (IOException e) {
                        sink.abort();
                        failure = "reading the response failed (" + e.getMessage() + ")";
                        wait = policy.backoff(attempt);
                    }
                } else {
                    String body = snippet(response.body());
                    if (status == 429) {
                        failure = "HTTP 429, rate limited";
                        wait = retryAfter(response).map(policy::retryAfter).orElse(policy.backoff(attempt));
                    } else if (status >= 500) {
                        failure = "HTTP " + status + body;
                        wait = policy.backoff(attempt);
                    } else {
                        throw new PostHogException(what + ": HTTP " + status + body + hint(status));
                    }
                }
            } catch (HttpTimeoutException e) {
                failure = "no response within " + connection.timeout().toSeconds() + " s";
                wait = policy.backoff(attempt);
            } catch (IOException e) {
                failure = "connection failed (" + e + ")";
                wait = policy.backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PostHogException(what + ": interrupted");
            }
            if (attempt >= policy.maxAttempts()) {
                throw new PostHogException(what + ": gave up after " + attempt + " attempts; last: " + failure);
            }
            LOG.warn("{}: {}; attempt {} of {}, retrying in {} ms", what, failure, attempt, policy.maxAttempts(),
                    wait.toMillis());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PostHogException(what + ": interrupted while waiting to retry after " + failure);
            }
        }
    }

    /** Retry-After as delta-seconds or an HTTP date. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> value = response.headers().firstValue("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.get()))));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (java.time.format.DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    private static String snippet(InputStream body) {
        try (body) {
            byte[] bytes = body.readNBytes(300);
            String text = new String(bytes, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
            return text.isEmpty() ? "" : " (" + text + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static String hint(int status) {
        switch (status) {
            case 401:
            case 403:
                return "; check the personal API key and its scopes (query:read for the Query API, event:read for"
                        + " the events API) and the project id";
            case 404:
                return "; check the PostHog URL and the project id (an older self-hosted PostHog may need --api events)";
            default:
                return "";
        }
    }
}
