package dev.pipeline.ingest.internal;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A W3C trace context {@code traceparent} value, {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}.
 * Ingest does not trace by itself: it passes a client's valid header on (as a pass-through
 * service may), or starts a new sampled trace so every request carries one.
 */
public record TraceParent(String value) {

    private static final Pattern FORMAT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_PARENT = "0".repeat(16);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The incoming header if it is valid (a later version is reduced to version 00), else empty. */
    public static Optional<TraceParent> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(header.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String version = m.group(1);
        String traceId = m.group(2);
        String parentId = m.group(3);
        boolean invalid = version.equals("ff") || traceId.equals(ZERO_TRACE) || parentId.equals(ZERO_PARENT)
                || (version.equals("00") && m.group(5) != null);
        if (invalid) {
            return Optional.empty();
        }
        return Optional.of(new TraceParent("00-" + traceId + "-" + parentId + "-" + m.group(4)));
    }

    /** The incoming header if valid, else a new trace. */
    public static TraceParent fromHeaderOrNew(String header) {
        return parse(header).orElseGet(TraceParent::random);
    }

    /** A new sampled trace with random ids. */
    public static TraceParent random() {
        byte[] ids = new byte[24];
        do {
            RANDOM.nextBytes(ids);
        } while (isZero(ids, 0, 16) || isZero(ids, 16, 24));
        HexFormat hex = HexFormat.of();
        return new TraceParent("00-" + hex.formatHex(ids, 0, 16) + "-" + hex.formatHex(ids, 16, 24) + "-01");
    }

    @Override
    public String toString() {
        return value;
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
