package dev.pipeline.processor.internal;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: before retry n (1-based) wait a random time between 0
 * and {@code min(max, initial * 2^(n-1))}. Jitter keeps many workers that failed together from
 * retrying together.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final LongUnaryOperator randomBelow;

    /** @param randomBelow returns a uniform random long in [0, bound) for a bound > 0 */
    public Backoff(Duration initial, Duration max, LongUnaryOperator randomBelow) {
        this.initial = initial;
        this.max = max;
        this.randomBelow = randomBelow;
    }

    /** The cap of the wait before retry {@code retry} (1 for the first retry). */
    Duration ceiling(int retry) {
        long ceilingNanos = initial.toNanos();
        for (int i = 1; i < retry && ceilingNanos < max.toNanos(); i++) {
            ceilingNanos *= 2;
        }
        return Duration.ofNanos(Math.min(ceilingNanos, max.toNanos()));
    }

    /** The wait before retry {@code retry}: uniformly random up to {@link #ceiling}. */
    public Duration delay(int retry) {
        long ceiling = ceiling(retry).toNanos();
        return Duration.ofNanos(ceiling <= 0 ? 0 : randomBelow.applyAsLong(ceiling + 1));
    }
}
