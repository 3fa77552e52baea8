package dev.pipeline.core.handler.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import dev.pipeline.core.handler.Handler;
import dev.pipeline.core.handler.HandlerContext;

/** {@code echo}: returns the payload unchanged. */
public final class Echo implements Handler {

    @Override
    public String type() {
        return "echo";
    }

    @Override
    public JsonNode handle(HandlerContext context) {
        return context.payload() == null ? NullNode.getInstance() : context.payload();
    }
}
