package dev.pipeline.cli.send;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RequestId;

/**
 * Requests as NDJSON, one {@code POST /v1/requests} body per line. Blank lines are skipped; a line
 * that is not a request becomes an {@link Item.Invalid} with its line number, and reading goes on.
 * A line without {@code id} gets a random one; without {@code client}, the run's client.
 */
final class NdjsonSource implements RequestSource {

    /** Ingest refuses bodies over 1 MiB by default; a longer line is not worth sending. */
    static final int MAX_LINE_CHARS = 1 << 20;

    private final BufferedReader reader;
    private final String defaultClient;
    private long lineNumber;

    /** @param reader closed by {@link #close()} */
    NdjsonSource(BufferedReader reader, String defaultClient) {
        this.reader = reader;
        this.defaultClient = defaultClient;
    }

    @Override
    public Item next() throws IOException {
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (!line.isBlank()) {
                return parse(lineNumber, line, defaultClient);
            }
        }
        return null;
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.empty();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** One line as a request, or what is wrong with it. */
    static Item parse(long lineNumber, String line, String defaultClient) {
        if (line.length() > MAX_LINE_CHARS) {
            return new Item.Invalid(lineNumber, "longer than " + MAX_LINE_CHARS + " characters");
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(line);
        } catch (JsonProcessingException e) {
            return new Item.Invalid(lineNumber, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return new Item.Invalid(lineNumber, "not a JSON object");
        }
        try {
            String type = text(node, "type");
            if (type == null || type.isBlank()) {
                return new Item.Invalid(lineNumber, "\"type\" is required");
            }
            String client = text(node, "client");
            String id = text(node, "id");
            String deadline = text(node, "deadline");
            Submission submission = new Submission(
                    id != null ? new RequestId(id) : RequestId.random(),
                    client != null && !client.isBlank() ? client : defaultClient,
                    type,
                    text(node, "key"),
                    node.get("payload"),
                    deadline != null ? Instant.parse(deadline) : null);
            return new Item.Valid(lineNumber, submission);
        } catch (IllegalArgumentException e) {
            return new Item.Invalid(lineNumber, e.getMessage());
        } catch (DateTimeParseException e) {
            return new Item.Invalid(lineNumber, "\"deadline\" must be an ISO-8601 instant, e.g. 2030-01-01T00:00:00Z");
        }
    }

    /** A string field, null when absent or JSON null; anything else is a wrong type. */
    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return value.textValue();
    }
}
