package dev.pipeline.cli.send;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RequestId;

/**
 * Sends through ingest: {@code POST /v1/requests}, one request per call, asynchronously on the
 * HTTP client's threads. 429 and 503 are retried after their {@code Retry-After}, connection
 * failures after a growing backoff, always with the same body and so the same id: a retry cannot
 * make a second request.
 */
final class IngestSender implements Sender {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    static final Duration MIN_RETRY_AFTER = Duration.ofMillis(50);
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final HttpClient http;
    private final HttpEndpoint ingest;
    private final int maxRetries;
    private final LongAdder retries = new LongAdder();

    /** @param http owned by the caller, who closes it after this sender */
    IngestSender(HttpClient http, HttpEndpoint ingest, int maxRetries) {
        this.http = http;
        this.ingest = ingest;
        this.maxRetries = maxRetries;
    }

    @Override
    public void start() {
        ingest.checkReachable(http);
    }

    @Override
    public CompletableFuture<SendOutcome> send(Submission submission) {
        HttpRequest request = ingest.request("/v1/requests")
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("traceparent", Traceparent.random())
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.toBytes(submission.toHttpBody())))
                .build();
        return attempt(request, submission.id(), 0);
    }

    private CompletableFuture<SendOutcome> attempt(HttpRequest request, RequestId id, int attempt) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> error != null
                        ? onFailure(error, attempt)
                        : onResponse(response.statusCode(), response.headers().firstValue("Retry-After"),
                                response.body(), id, attempt, Instant.now()))
                .thenCompose(decision -> switch (decision) {
                    case Decision.Done done -> CompletableFuture.completedFuture(done.outcome());
                    case Decision.Retry retry -> {
                        retries.increment();
                        yield CompletableFuture.supplyAsync(() -> null,
                                        CompletableFuture.delayedExecutor(retry.after().toMillis(), TimeUnit.MILLISECONDS))
                                .thenCompose(ignored -> attempt(request, id, attempt + 1));
                    }
                });
    }

    private Decision onFailure(Throwable error, int attempt) {
        if (attempt < maxRetries) {
            long backoff = Math.min(MAX_BACKOFF.toMillis(), 250L << Math.min(attempt, 10));
            return new Decision.Retry(Duration.ofMillis(backoff));
        }
        return new Decision.Done(new SendOutcome.Failed("ingest at " + ingest.base() + ": " + HttpEndpoint.describe(error)));
    }

    /** What a response means: accepted, retry (429/503 with attempts left) or a final refusal. */
    Decision onResponse(int status, Optional<String> retryAfter, byte[] body, RequestId id, int attempt, Instant now) {
        if (status == 202 || status == 200 || status == 201) {
            return new Decision.Done(new SendOutcome.Accepted(acceptedId(body, id)));
        }
        if ((status == 429 || status == 503) && attempt < maxRetries) {
            return new Decision.Retry(retryAfter(retryAfter, now));
        }
        if (status == 401 || status == 403 || status == 429 || status >= 500) {
            // not this request's fault: the service refused or could not take it; the run failed
            return new Decision.Done(new SendOutcome.Failed("ingest answered " + status + ": " + HttpEndpoint.problem(status, body)));
        }
        return new Decision.Done(new SendOutcome.Rejected(status, HttpEndpoint.problem(status, body)));
    }

    /** The id ingest answered with; ours unless ingest did not keep it (it should). */
    private static RequestId acceptedId(byte[] body, RequestId sent) {
        try {
            JsonNode answer = Json.mapper().readTree(body);
            String id = answer == null ? null : answer.path("id").textValue();
            return id == null || id.equals(sent.value()) ? sent : new RequestId(id);
        } catch (IOException | IllegalArgumentException e) {
            return sent;
        }
    }

    /** {@code Retry-After} as seconds or an HTTP date, within [50 ms, 30 s]; 1 s when absent or unreadable. */
    static Duration retryAfter(Optional<String> header, Instant now) {
        Duration delay = DEFAULT_RETRY_AFTER;
        if (header.isPresent()) {
            String value = header.get().trim();
            try {
                delay = value.matches("\\d{1,9}")
                        ? Duration.ofSeconds(Long.parseLong(value))
                        : Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                delay = DEFAULT_RETRY_AFTER;
            }
        }
        if (delay.compareTo(MIN_RETRY_AFTER) < 0) {
            return MIN_RETRY_AFTER;
        }
        return delay.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : delay;
    }

    @Override
    public long retries() {
        return retries.sum();
    }

    @Override
    public String mode() {
        return "ingest";
    }

    @Override
    public void close() {
        // the HTTP client belongs to the caller; the caller has waited for the sends in flight
    }

    /** The next step after one HTTP exchange. */
    sealed interface Decision {
        record Done(SendOutcome outcome) implements Decision {
        }

        record Retry(Duration after) implements Decision {
        }
    }
}
