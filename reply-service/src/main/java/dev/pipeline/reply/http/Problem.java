package dev.pipeline.reply.http;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An error answer, RFC 9457 problem details: {@code type} names the kind of problem (a tag URI,
 * the same scheme as the ingest service's), {@code title} summarises the kind, {@code detail}
 * says what was wrong with this request. {@code retryAfterSeconds} becomes a {@code Retry-After}
 * header.
 */
@JsonPropertyOrder({"type", "title", "status", "detail"})
public record Problem(String type, String title, int status, String detail,
                      @JsonIgnore Integer retryAfterSeconds) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "tag:pipeline.dev,2025:problem:";

    /** Waiter slots free up within a long-poll's wait. */
    static final int RETRY_AFTER_BUSY = 1;
    /** A restarting service or database takes a few seconds. */
    static final int RETRY_AFTER_UNAVAILABLE = 5;

    public static Problem invalidParameter(String detail) {
        return of("invalid-parameter", "Invalid parameter", 400, detail, null);
    }

    public static Problem unauthorized(String detail) {
        return of("unauthorized", "Unauthorized", 401, detail, null);
    }

    public static Problem replyNotFound(String detail) {
        return of("reply-not-found", "Reply not found", 404, detail, null);
    }

    public static Problem tooManyWaiters(String detail) {
        return of("too-many-waiters", "Too many waiting requests", 503, detail, RETRY_AFTER_BUSY);
    }

    public static Problem stopping() {
        return of("stopping", "Service stopping", 503, "the reply service is shutting down; ask again shortly",
                RETRY_AFTER_UNAVAILABLE);
    }

    public static Problem storeUnavailable(String detail) {
        return of("store-unavailable", "Reply store unavailable", 503, detail, RETRY_AFTER_UNAVAILABLE);
    }

    public static Problem notReady(String detail) {
        return of("not-ready", "Not ready", 503, detail, RETRY_AFTER_UNAVAILABLE);
    }

    /** For statuses Javalin raises itself (404, 405, ...) and for unexpected failures (500). */
    public static Problem http(int status, String title, String detail) {
        return of("http-" + status, title, status, detail, null);
    }

    private static Problem of(String slug, String title, int status, String detail, Integer retryAfterSeconds) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, retryAfterSeconds);
    }
}
