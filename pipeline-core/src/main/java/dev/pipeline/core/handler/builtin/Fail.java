package dev.pipeline.core.handler.builtin;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.pipeline.core.handler.Handler;
import dev.pipeline.core.handler.HandlerContext;
import dev.pipeline.core.handler.PermanentHandlerException;
import dev.pipeline.core.handler.RetriableHandlerException;

/**
 * {@code fail}: fails on purpose, to exercise retries and error replies. Payload:
 * <ul>
 *   <li>{@code null} or absent: fails transiently every time (the reply is {@code error} after the retries);</li>
 *   <li>{@code {"times": n}}: fails transiently on the first n attempts, then succeeds;</li>
 *   <li>{@code {"permanent": true}}: fails permanently at once.</li>
 * </ul>
 */
public final class Fail implements Handler {

    @Override
    public String type() {
        return "fail";
    }

    @Override
    public Optional<String> validate(JsonNode payload) {
        if (payload == null || payload.isNull()) {
            return Optional.empty();
        }
        if (!payload.isObject()) {
            return Optional.of("payload must be null or an object like {\"times\": 2} or {\"permanent\": true}");
        }
        JsonNode times = payload.get("times");
        if (times != null && !(times.isIntegralNumber() && times.asInt() >= 0)) {
            return Optional.of("times must be a non-negative integer");
        }
        return Optional.empty();
    }

    @Override
    public JsonNode handle(HandlerContext context) throws RetriableHandlerException, PermanentHandlerException {
        JsonNode payload = context.payload();
        if (payload != null && payload.path("permanent").asBoolean(false)) {
            throw new PermanentHandlerException("failed permanently, as asked");
        }
        int times = payload != null && payload.has("times") ? payload.get("times").asInt() : Integer.MAX_VALUE;
        if (context.attempt() <= times) {
            throw new RetriableHandlerException("failed on attempt " + context.attempt() + ", as asked");
        }
        return JsonNodeFactory.instance.objectNode().put("succeededOnAttempt", context.attempt());
    }
}
