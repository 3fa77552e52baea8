package dev.pipeline.ingest.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Whether the service can take requests, from a probe that is asked at most once per
 * {@code maxAge}: load balancers poll readiness often, and each probe is a round trip to Kafka.
 * Concurrent callers wait for the one probe under way instead of starting their own.
 */
public final class Readiness {

    /** The probe's verdict. */
    public sealed interface Status {
        record Ready() implements Status {
        }

        record NotReady(String reason) implements Status {
        }
    }

    private record Checked(Status status, long atNanos) {
    }

    private final Supplier<Optional<String>> probe;
    private final LongSupplier nanoClock;
    private final long maxAgeNanos;
    private final ReentrantLock probing = new ReentrantLock();
    private volatile Checked last;

    /**
     * @param probe     empty when ready, else why not; must be bounded in time
     * @param nanoClock {@link System#nanoTime} outside tests
     */
    public Readiness(Supplier<Optional<String>> probe, Duration maxAge, LongSupplier nanoClock) {
        this.probe = probe;
        this.nanoClock = nanoClock;
        this.maxAgeNanos = maxAge.toNanos();
    }

    public Status check() {
        Checked fresh = fresh();
        if (fresh != null) {
            return fresh.status();
        }
        probing.lock();
        try {
            fresh = fresh();
            if (fresh == null) {
                Status status = probe.get().<Status>map(Status.NotReady::new).orElseGet(Status.Ready::new);
                fresh = new Checked(status, nanoClock.getAsLong());
                last = fresh;
            }
            return fresh.status();
        } finally {
            probing.unlock();
        }
    }

    private Checked fresh() {
        Checked checked = last;
        return checked != null && nanoClock.getAsLong() - checked.atNanos() < maxAgeNanos ? checked : null;
    }
}
