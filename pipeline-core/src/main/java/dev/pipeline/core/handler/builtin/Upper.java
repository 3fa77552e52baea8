package dev.pipeline.core.handler.builtin;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.pipeline.core.handler.Handler;
import dev.pipeline.core.handler.HandlerContext;

/** {@code upper}: a string payload in upper case. */
public final class Upper implements Handler {

    @Override
    public String type() {
        return "upper";
    }

    @Override
    public Optional<String> validate(JsonNode payload) {
        return payload != null && payload.isTextual() ? Optional.empty() : Optional.of("payload must be a string");
    }

    @Override
    public JsonNode handle(HandlerContext context) {
        return TextNode.valueOf(context.payload().asText().toUpperCase(Locale.ROOT));
    }
}
