package dev.pipeline.core.message;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request on the requests topic (version 1). Unknown fields are ignored when read, so newer
 * writers can add fields. The record key is {@link #orderingKey()}.
 *
 * @param v           format version, 1
 * @param id          unique id; replies carry it as {@code requestId}
 * @param client      who sent it; replies can be listed and streamed per client
 * @param type        the handler to run, e.g. {@code echo}
 * @param key         optional ordering key; requests with one key are processed in order
 * @param payload     the handler's input, any JSON value
 * @param submittedAt when ingest (or the producer) accepted it
 * @param deadline    optional: not run after this instant (the reply is {@code expired})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"v", "id", "client", "type", "key", "payload", "submittedAt", "deadline"})
public record Request(int v, RequestId id, String client, String type, String key, JsonNode payload,
                      Instant submittedAt, Instant deadline) {

    public static final int VERSION = 1;

    public Request {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(submittedAt, "submittedAt");
    }

    /** The Kafka record key: the request's key if it names one, else its client. */
    public String orderingKey() {
        return key != null && !key.isEmpty() ? key : client;
    }

    /** Whether the deadline, if any, has passed at {@code now}. */
    public boolean expiredAt(Instant now) {
        return deadline != null && now.isAfter(deadline);
    }
}
