package dev.pipeline.cli.send;

import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RequestId;

/**
 * {@code count} requests of one type and payload, with random ids. With {@code keys > 0} the
 * requests take the keys {@code key-0 .. key-(keys-1)} in turn, so per-key order can be watched;
 * with 0 they have no key (the client orders them).
 */
final class GeneratedSource implements RequestSource {

    private final String client;
    private final String type;
    private final JsonNode payload;
    private final long count;
    private final int keys;
    private final Duration deadlineAfter;
    private final Clock clock;
    private long produced;

    /**
     * @param payload       shared by every request, never modified (null: none)
     * @param deadlineAfter each request's deadline is this long after it is made (null: none)
     */
    GeneratedSource(String client, String type, JsonNode payload, long count, int keys, Duration deadlineAfter, Clock clock) {
        this.client = client;
        this.type = type;
        this.payload = payload;
        this.count = count;
        this.keys = keys;
        this.deadlineAfter = deadlineAfter;
        this.clock = clock;
    }

    @Override
    public Item next() {
        if (produced >= count) {
            return null;
        }
        long index = produced++;
        String key = keys > 0 ? "key-" + (index % keys) : null;
        Submission submission = new Submission(RequestId.random(), client, type, key, payload,
                deadlineAfter != null ? clock.instant().plus(deadlineAfter) : null);
        return new Item.Valid(index + 1, submission);
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(count);
    }

    @Override
    public void close() {
        // nothing held
    }

    /** A {@code --payload} argument: JSON if it parses as JSON ({@code 25}, {@code {"a":1}}), else the text itself. */
    static JsonNode parsePayload(String argument) {
        if (argument == null) {
            return null;
        }
        try {
            JsonNode node = Json.mapper().readTree(argument);
            return node == null || node.isMissingNode() ? TextNode.valueOf(argument) : node;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(argument);
        }
    }
}
