package dev.pipeline.core.message;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a request ended; every accepted request gets exactly one reply with one of these. */
public enum ReplyStatus {
    /** the handler ran and returned a result */
    OK,
    /** the handler failed: retries exhausted, or a permanent failure */
    ERROR,
    /** the deadline passed before the handler ran; it was not run */
    EXPIRED,
    /** unknown type or invalid payload; no handler ran */
    REJECTED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ReplyStatus fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
