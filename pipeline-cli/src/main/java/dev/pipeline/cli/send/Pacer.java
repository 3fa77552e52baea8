package dev.pipeline.cli.send;

import java.util.concurrent.TimeUnit;

/**
 * Spaces sends evenly at a fixed rate: one permit every {@code 1/rate} seconds, never a burst.
 * When the sender falls behind (blocked on the in-flight bound, slow input, a busy CPU), the
 * schedule is not allowed to build up credit: at most {@link #CATCH_UP_NANOS} of missed slots are
 * made up. That absorbs the wake-up jitter of parking (tens of microseconds, milliseconds on a
 * loaded machine) so the average rate holds, without a burst after a stall.
 *
 * <p>Used by the one sending thread; not thread-safe.
 */
final class Pacer {

    /** How far behind schedule the pacer may be and still send back to back. */
    static final long CATCH_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final long intervalNanos;
    private final Ticker ticker;
    private long nextSlot;
    private boolean started;

    private Pacer(long intervalNanos, Ticker ticker) {
        this.intervalNanos = intervalNanos;
        this.ticker = ticker;
    }

    /** @param perSecond permits per second; 0 means no limit */
    static Pacer of(double perSecond, Ticker ticker) {
        if (perSecond < 0 || Double.isNaN(perSecond)) {
            throw new IllegalArgumentException("rate must be >= 0, got " + perSecond);
        }
        long interval = perSecond == 0 ? 0 : Math.max(1, Math.round(1e9 / perSecond));
        return new Pacer(interval, ticker);
    }

    /** Waits for the next permit. */
    void acquire() throws InterruptedException {
        long wait = reserve(ticker.nanoTime());
        if (wait > 0) {
            ticker.sleepNanos(wait);
        }
    }

    /**
     * Takes the next slot and says how long to wait for it, measured from {@code now}: the step of
     * {@link #acquire()}, without the waiting.
     */
    long reserve(long now) {
        if (intervalNanos == 0) {
            return 0;
        }
        if (!started) {
            started = true;
            nextSlot = now;
        }
        long slot = Math.max(nextSlot, now - CATCH_UP_NANOS);
        nextSlot = slot + intervalNanos;
        return slot - now;
    }
}
