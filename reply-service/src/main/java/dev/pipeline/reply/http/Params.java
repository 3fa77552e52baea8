package dev.pipeline.reply.http;

import java.time.Duration;
import java.util.Optional;

import dev.pipeline.core.message.RequestId;
import dev.pipeline.core.runtime.Durations;
import dev.pipeline.reply.store.Cursor;

/** Reads and checks request parameters; a bad one ends the request with 400. */
final class Params {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int MAX_CLIENT_LENGTH = 256;

    private Params() {
    }

    static RequestId requestId(String value) {
        try {
            return new RequestId(value);
        } catch (IllegalArgumentException e) {
            throw bad("the request id " + e.getMessage());
        }
    }

    /** {@code ?wait=}: absent means no wait; longer than {@code max} waits {@code max}. */
    static Duration waitFor(String value, Duration max) {
        if (value == null) {
            return Duration.ZERO;
        }
        Duration wait;
        try {
            wait = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw bad("wait: " + e.getMessage());
        }
        if (wait.isNegative()) {
            throw bad("wait must not be negative (got " + value + ")");
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }

    /** {@code ?limit=}: 1 to 1000, 100 when absent. */
    static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below, with the accepted range
        }
        throw bad("limit must be a whole number from 1 to " + MAX_LIMIT + " (got " + abbreviate(value) + ")");
    }

    /** A cursor handed out earlier; the start when absent. */
    static Cursor cursor(String name, String value) {
        if (value == null || value.isBlank()) {
            return Cursor.START;
        }
        try {
            return Cursor.parse(value.trim());
        } catch (IllegalArgumentException e) {
            throw bad(name + ": " + e.getMessage());
        }
    }

    /** {@code ?client=}: empty means every client. */
    static Optional<String> client(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() > MAX_CLIENT_LENGTH) {
            throw bad("client must be at most " + MAX_CLIENT_LENGTH + " characters");
        }
        return Optional.of(value);
    }

    private static ProblemException bad(String detail) {
        return new ProblemException(Problem.invalidParameter(detail));
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
