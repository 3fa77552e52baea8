package dev.pipeline.core.handler;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.message.Request;

/**
 * What a handler gets for one call.
 *
 * @param request the whole request
 * @param attempt 1 for the first call, 2 for the first retry, ...
 */
public record HandlerContext(Request request, int attempt) {

    public JsonNode payload() {
        return request.payload();
    }
}
