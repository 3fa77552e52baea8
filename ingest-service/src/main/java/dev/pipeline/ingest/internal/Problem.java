package dev.pipeline.ingest.internal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An error answer, RFC 9457 problem details: {@code type} names the kind of problem (a tag URI:
 * an identifier, not a page), {@code title} summarises the kind, {@code detail} says what was
 * wrong with this request. {@code retryAfterSeconds} becomes a {@code Retry-After} header.
 */
@JsonPropertyOrder({"type", "title", "status", "detail"})
public record Problem(String type, String title, int status, String detail,
                      @JsonIgnore Integer retryAfterSeconds) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "tag:pipeline.dev,2025:problem:";

    /** After 429 the in-flight bound frees up as soon as the broker answers. */
    static final int RETRY_AFTER_TOO_MANY = 1;
    /** After 503 the broker may be away for a while: do not hammer it. */
    static final int RETRY_AFTER_UNAVAILABLE = 5;

    public static Problem malformed(String detail) {
        return of("malformed-json", "Malformed JSON", 400, detail);
    }

    public static Problem unauthorized(String detail) {
        return of("unauthorized", "Unauthorized", 401, detail);
    }

    public static Problem tooLarge(String detail) {
        return of("body-too-large", "Request body too large", 413, detail);
    }

    public static Problem unsupportedMediaType(String detail) {
        return of("unsupported-media-type", "Unsupported media type", 415, detail);
    }

    public static Problem invalidRequest(String detail) {
        return of("invalid-request", "Invalid request", 422, detail);
    }

    public static Problem unknownType(String detail) {
        return of("unknown-type", "Unknown request type", 422, detail);
    }

    public static Problem invalidPayload(String detail) {
        return of("invalid-payload", "Invalid payload", 422, detail);
    }

    public static Problem tooManyInFlight(String detail) {
        return new Problem(TYPE_PREFIX + "too-many-in-flight", "Too many requests in flight", 429, detail,
                RETRY_AFTER_TOO_MANY);
    }

    public static Problem kafkaUnavailable(String detail) {
        return new Problem(TYPE_PREFIX + "kafka-unavailable", "Kafka unavailable", 503, detail,
                RETRY_AFTER_UNAVAILABLE);
    }

    public static Problem notReady(String detail) {
        return new Problem(TYPE_PREFIX + "not-ready", "Not ready", 503, detail, RETRY_AFTER_UNAVAILABLE);
    }

    /** For statuses Javalin raises itself (404, 405, ...) and for unexpected failures (500). */
    public static Problem http(int status, String title, String detail) {
        return of("http-" + status, title, status, detail);
    }

    private static Problem of(String slug, String title, int status, String detail) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, null);
    }
}
