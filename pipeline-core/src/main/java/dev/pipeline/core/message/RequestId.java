package dev.pipeline.core.message;

import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A request's id: a random UUID by default, or one the client chose so that retrying a request
 * cannot create a second one. Up to 128 characters of letters, digits and {@code . _ : -}.
 */
public record RequestId(String value) {

    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    @JsonCreator
    public RequestId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("id must be 1-" + MAX_LENGTH
                    + " characters of letters, digits and . _ : - (got " + quoted(value) + ")");
        }
    }

    public static RequestId random() {
        return new RequestId(UUID.randomUUID().toString());
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }

    private static String quoted(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() > 40 ? '"' + value.substring(0, 40) + "...\"" : '"' + value + '"';
    }
}
