package dev.pipeline.reply.testing;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.TextNode;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;
import dev.pipeline.core.message.ReplyStatus;
import dev.pipeline.core.message.RequestId;
import dev.pipeline.reply.store.IncomingReply;

/** Replies for tests, as a processor would write them. */
public final class TestReplies {

    private TestReplies() {
    }

    /** An {@code ok} reply of type echo whose result is {@code result}. */
    public static Reply reply(String id, String client, String result) {
        Instant submitted = Instant.parse("2025-01-02T03:04:05.006Z");
        return new Reply(Reply.VERSION, new RequestId(id), client, "echo", ReplyStatus.OK, TextNode.valueOf(result),
                null, 1, "test-processor/0", submitted, submitted.plusMillis(7), 7);
    }

    public static IncomingReply incoming(String id, String client, String result) {
        Reply reply = reply(id, client, result);
        return new IncomingReply(reply, Json.toString(reply));
    }
}
