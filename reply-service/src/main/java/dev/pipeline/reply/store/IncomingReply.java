package dev.pipeline.reply.store;

import java.util.Objects;

import dev.pipeline.core.message.Reply;
import dev.pipeline.core.message.RequestId;

/**
 * A parsed reply on its way into the store, with the JSON exactly as the processor wrote it:
 * that text is what readers get back, byte for byte.
 *
 * @param reply the parsed reply, for the indexed columns
 * @param json  the record's value as UTF-8 text
 */
public record IncomingReply(Reply reply, String json) {

    public IncomingReply {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(json, "json");
    }

    public RequestId requestId() {
        return reply.requestId();
    }
}
