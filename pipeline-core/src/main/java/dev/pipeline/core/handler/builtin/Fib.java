package dev.pipeline.core.handler.builtin;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;

import dev.pipeline.core.handler.Handler;
import dev.pipeline.core.handler.HandlerContext;

/**
 * {@code fib}: the n-th Fibonacci number for an integer payload n (0-{@value #MAX_N}), computed
 * by naive recursion on purpose: CPU-bound work for demos and benchmarks (n = 25 takes about a
 * millisecond, each +1 about 1.6 times longer).
 */
public final class Fib implements Handler {

    static final int MAX_N = 40;

    @Override
    public String type() {
        return "fib";
    }

    @Override
    public Optional<String> validate(JsonNode payload) {
        return payload != null && payload.canConvertToInt() && payload.isIntegralNumber()
                && payload.asInt() >= 0 && payload.asInt() <= MAX_N
                ? Optional.empty()
                : Optional.of("payload must be an integer from 0 to " + MAX_N);
    }

    @Override
    public JsonNode handle(HandlerContext context) throws InterruptedException {
        return LongNode.valueOf(fib(context.payload().asInt()));
    }

    private static long fib(int n) throws InterruptedException {
        if (n < 2) {
            return n;
        }
        if (n > 20 && Thread.interrupted()) {
            // a timed-out call stops burning CPU
            throw new InterruptedException("fib interrupted");
        }
        return fib(n - 1) + fib(n - 2);
    }
}
