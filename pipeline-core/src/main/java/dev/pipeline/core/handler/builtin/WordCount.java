package dev.pipeline.core.handler.builtin;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.pipeline.core.handler.Handler;
import dev.pipeline.core.handler.HandlerContext;

/** {@code wordcount}: for a string payload, {@code {"words": N, "counts": {"word": n, ...}}}. */
public final class WordCount implements Handler {

    @Override
    public String type() {
        return "wordcount";
    }

    @Override
    public Optional<String> validate(JsonNode payload) {
        return payload != null && payload.isTextual() ? Optional.empty() : Optional.of("payload must be a string");
    }

    @Override
    public JsonNode handle(HandlerContext context) {
        Map<String, Integer> counts = new TreeMap<>();
        int words = 0;
        for (String word : context.payload().asText().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
            if (!word.isEmpty()) {
                counts.merge(word, 1, Integer::sum);
                words++;
            }
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("words", words);
        ObjectNode countsNode = result.putObject("counts");
        counts.forEach(countsNode::put);
        return result;
    }
}
