package dev.pipeline.ingest.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.pipeline.core.message.RequestId;

/**
 * Reads the fields of a request object, adding a sentence to {@code errors} for each one that is
 * missing or of the wrong type, so that one answer lists every mistake. A JSON null counts as
 * absent. Returns null where there is nothing usable.
 */
final class Fields {

    private final ObjectNode object;
    private final List<String> errors;

    Fields(ObjectNode object, List<String> errors) {
        this.object = object;
        this.errors = errors;
    }

    RequestId id() {
        JsonNode node = present("id");
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            return wrongType("id", "a string", node);
        }
        try {
            return new RequestId(node.textValue());
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
            return null;
        }
    }

    String requiredString(String name, int maxLength) {
        JsonNode node = present(name);
        if (node == null) {
            errors.add(name + " is required");
            return null;
        }
        String value = string(name, node, maxLength);
        if (value != null && value.isBlank()) {
            errors.add(name + " must not be empty");
            return null;
        }
        return value;
    }

    String optionalString(String name, int maxLength) {
        JsonNode node = present(name);
        return node == null ? null : string(name, node, maxLength);
    }

    Instant optionalInstant(String name) {
        JsonNode node = present(name);
        if (node == null) {
            return null;
        }
        String text = string(name, node, 64);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            errors.add(name + " must be an ISO-8601 instant such as 2030-01-01T12:00:00Z (got "
                    + RequestParser.quoted(text) + ")");
            return null;
        }
    }

    private String string(String name, JsonNode node, int maxLength) {
        if (!node.isTextual()) {
            return wrongType(name, "a string", node);
        }
        String value = node.textValue();
        if (value.length() > maxLength) {
            errors.add(name + " must be at most " + maxLength + " characters (got " + value.length() + ")");
            return null;
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            // names travel into keys, logs and SQL stores (PostgreSQL refuses NUL): no control characters
            errors.add(name + " must not contain control characters");
            return null;
        }
        return value;
    }

    private JsonNode present(String name) {
        JsonNode node = object.get(name);
        return node == null || node.isNull() ? null : node;
    }

    private <T> T wrongType(String name, String expected, JsonNode node) {
        errors.add(name + " must be " + expected + ", not " + RequestParser.kind(node));
        return null;
    }
}
