package dev.pipeline.core.message;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A reply on the replies topic (version 1), keyed like its request. Exactly one per accepted
 * request in consumer-group mode.
 *
 * @param v            format version, 1
 * @param requestId    the request's id
 * @param client       the request's client
 * @param type         the request's type
 * @param status       how it ended
 * @param result       the handler's result when {@code ok}
 * @param error        what went wrong otherwise
 * @param attempts     how many times the handler ran (0 when it did not)
 * @param processor    which processor instance and worker produced it
 * @param submittedAt  the request's {@code submittedAt}
 * @param processedAt  when the reply was made
 * @param processingMs time spent in the handler, retries and backoff included
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"v", "requestId", "client", "type", "status", "result", "error", "attempts",
        "processor", "submittedAt", "processedAt", "processingMs"})
public record Reply(int v, RequestId requestId, String client, String type, ReplyStatus status,
                    JsonNode result, ReplyError error, int attempts, String processor,
                    Instant submittedAt, Instant processedAt, long processingMs) {

    public static final int VERSION = 1;

    public Reply {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(status, "status");
    }
}
