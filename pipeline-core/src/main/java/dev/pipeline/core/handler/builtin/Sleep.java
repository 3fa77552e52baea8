package dev.pipeline.core.handler.builtin;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.pipeline.core.handler.Handler;
import dev.pipeline.core.handler.HandlerContext;

/**
 * {@code sleep}: waits the payload's milliseconds (0-{@value #MAX_MS}) without using CPU, like a
 * call to a slow remote service; returns {@code {"sleptMs": n}}.
 */
public final class Sleep implements Handler {

    static final int MAX_MS = 60_000;

    @Override
    public String type() {
        return "sleep";
    }

    @Override
    public Optional<String> validate(JsonNode payload) {
        return payload != null && payload.isIntegralNumber() && payload.canConvertToInt()
                && payload.asInt() >= 0 && payload.asInt() <= MAX_MS
                ? Optional.empty()
                : Optional.of("payload must be an integer number of milliseconds from 0 to " + MAX_MS);
    }

    @Override
    public JsonNode handle(HandlerContext context) throws InterruptedException {
        int ms = context.payload().asInt();
        Thread.sleep(ms);
        return JsonNodeFactory.instance.objectNode().put("sleptMs", ms);
    }
}
