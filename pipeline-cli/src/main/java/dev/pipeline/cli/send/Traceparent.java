package dev.pipeline.cli.send;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** W3C trace context for a request the CLI starts: {@code 00-<32 hex trace>-<16 hex span>-01}. */
final class Traceparent {

    private static final HexFormat HEX = HexFormat.of();

    private Traceparent() {
    }

    /** A new sampled trace with a random trace id and span id (never all zeros, which W3C forbids). */
    static String random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long traceHigh = random.nextLong();
        long traceLow = random.nextLong() | 1L;
        long span = random.nextLong() | 1L;
        return "00-" + HEX.toHexDigits(traceHigh) + HEX.toHexDigits(traceLow) + "-" + HEX.toHexDigits(span) + "-01";
    }
}
