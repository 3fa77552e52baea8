package dev.pipeline.cli.send;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Request;
import dev.pipeline.core.message.RequestId;

/**
 * One request to send, as a client states it: the body of {@code POST /v1/requests} with the id
 * always filled in. The id is chosen here, client-side, so that a retried POST is the same request.
 *
 * @param id       the request id, kept by ingest
 * @param client   who sends it; replies are streamed per client
 * @param type     the handler type
 * @param key      optional ordering key (null: the client orders)
 * @param payload  optional handler input (null: none)
 * @param deadline optional instant after which it must not run
 */
record Submission(RequestId id, String client, String type, String key, JsonNode payload, Instant deadline) {

    Submission {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(type, "type");
    }

    /** The Kafka record key, as {@link Request#orderingKey()} computes it. */
    String orderingKey() {
        return key != null && !key.isEmpty() ? key : client;
    }

    /** The request exactly as ingest would write it to the requests topic. */
    Request toRequest(Instant submittedAt) {
        return new Request(Request.VERSION, id, client, type, key, payload, submittedAt, deadline);
    }

    /** The JSON body of {@code POST /v1/requests}. */
    ObjectNode toHttpBody() {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("id", id.value());
        body.put("client", client);
        body.put("type", type);
        if (key != null) {
            body.put("key", key);
        }
        if (payload != null) {
            body.set("payload", payload);
        }
        if (deadline != null) {
            body.put("deadline", deadline.toString());
        }
        return body;
    }
}
