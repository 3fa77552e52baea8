package dev.pipeline.core.message;

/**
 * Names of the Kafka record headers the pipeline writes. Values are UTF-8 strings.
 */
public final class RecordHeaders {

    /** On requests and replies: the request id. */
    public static final String REQUEST_ID = "request-id";
    /** On requests and replies: W3C trace context, {@code 00-<trace>-<span>-<flags>}. */
    public static final String TRACEPARENT = "traceparent";

    /**
     * On replies: where the request record was, its partition and offset in the requests topic.
     * Two replies with the same pair are a duplicate; two with the same request id and different
     * pairs answer a request that was written twice (a client resent it after an ambiguous failure).
     */
    public static final String REQUEST_PARTITION = "request.partition";
    public static final String REQUEST_OFFSET = "request.offset";

    /** On dead letters: the exception class (or reason code) that sent the record there. */
    public static final String DLQ_ERROR_CLASS = "dlq.error.class";
    /** On dead letters: the human-readable reason. */
    public static final String DLQ_ERROR_MESSAGE = "dlq.error.message";
    /** On dead letters: how many times the record was tried. */
    public static final String DLQ_ATTEMPTS = "dlq.attempts";
    /** On dead letters: where the record came from. */
    public static final String DLQ_SOURCE_TOPIC = "dlq.source.topic";
    public static final String DLQ_SOURCE_PARTITION = "dlq.source.partition";
    public static final String DLQ_SOURCE_OFFSET = "dlq.source.offset";
    /** On dead letters: when it was dead-lettered, ISO-8601. */
    public static final String DLQ_TIME = "dlq.time";
    /**
     * On dead letters too large to send with the record's key, value and headers: what was left out
     * and where the record is. Such a dead letter has no key and no value.
     */
    public static final String DLQ_DROPPED = "dlq.dropped";

    private RecordHeaders() {
    }
}
