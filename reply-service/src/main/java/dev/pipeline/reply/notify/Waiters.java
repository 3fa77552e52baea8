package dev.pipeline.reply.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pipeline.core.message.RequestId;

/**
 * Long-poll waiters: HTTP threads waiting for the reply of a request id, completed by the
 * consumer thread once the reply is stored. Several waiters of one id share one future. An
 * entry leaves the map when its reply arrives or its last waiter gives up; {@link #sweep()},
 * run on a schedule, removes whatever is left past its deadline, so the map cannot grow without
 * bound, and a hard cap on waiters refuses more.
 *
 * <p>A waiter must look in the store <em>after</em> registering: a reply stored between its first
 * look and its registration would otherwise never wake it.
 */
public final class Waiters implements AutoCloseable {

    /** How long past its latest deadline an entry may stay before the sweep removes it. */
    static final Duration SWEEP_GRACE = Duration.ofSeconds(5);

    /** The outcome of {@link #register}. */
    public sealed interface Admission {
        /** Wait on the registration, then close it. */
        record Admitted(Registration registration) implements Admission {
        }

        /** Too many waiters at once. */
        record Full(int max) implements Admission {
        }

        /** The service is shutting down. */
        record Closed() implements Admission {
        }
    }

    private static final class Entry {
        final CompletableFuture<String> reply = new CompletableFuture<>();
        // both guarded by the map's per-key locking: changed only inside compute functions
        int registrations;
        Instant latestDeadline = Instant.MIN;
    }

    private final ConcurrentHashMap<RequestId, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final int maxWaiters;
    private final Clock clock;
    private volatile boolean closed;

    public Waiters(int maxWaiters, Clock clock) {
        if (maxWaiters < 1) {
            throw new IllegalArgumentException("max waiters must be at least 1");
        }
        this.maxWaiters = maxWaiters;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Registers a waiter for {@code id} that gives up after {@code wait}. */
    public Admission register(RequestId id, Duration wait) {
        if (closed) {
            return new Admission.Closed();
        }
        if (waiting.incrementAndGet() > maxWaiters) {
            waiting.decrementAndGet();
            return new Admission.Full(maxWaiters);
        }
        Instant deadline = clock.instant().plus(wait);
        Entry entry = entries.compute(id, (key, existing) -> {
            Entry e = existing == null ? new Entry() : existing;
            e.registrations++;
            if (deadline.isAfter(e.latestDeadline)) {
                e.latestDeadline = deadline;
            }
            return e;
        });
        if (closed) {
            // close() may have emptied the map just before this entry went in
            entry.reply.completeExceptionally(new CancellationException("the reply service is stopping"));
        }
        return new Admission.Admitted(new Registration(id, entry, deadline));
    }

    /** Wakes the waiters of a reply just stored. Called by the consumer thread after the commit. */
    public void arrived(RequestId id, String json) {
        Entry entry = entries.remove(id);
        if (entry != null) {
            entry.reply.complete(json);
        }
    }

    /**
     * Removes entries whose reply arrived or whose every waiter is past its deadline (plus a
     * grace): normally waiters remove themselves, this catches what they missed.
     *
     * @return how many entries were removed
     */
    public int sweep() {
        Instant limit = clock.instant().minus(SWEEP_GRACE);
        int[] removed = {0};
        for (RequestId id : entries.keySet()) {
            entries.computeIfPresent(id, (key, e) -> {
                if (e.reply.isDone() || e.latestDeadline.isBefore(limit)) {
                    removed[0]++;
                    return null;
                }
                return e;
            });
        }
        return removed[0];
    }

    /** Waiters waiting now. */
    public int waiting() {
        return waiting.get();
    }

    /** Request ids with an entry now. */
    public int pendingIds() {
        return entries.size();
    }

    /** Ends every wait at once (their futures fail with a cancellation) and refuses new ones. */
    @Override
    public void close() {
        closed = true;
        for (RequestId id : entries.keySet()) {
            Entry entry = entries.remove(id);
            if (entry != null) {
                entry.reply.completeExceptionally(new CancellationException("the reply service is stopping"));
            }
        }
    }

    /** One waiter's place; close it when done waiting, whatever the outcome. */
    public final class Registration implements AutoCloseable {

        private final RequestId id;
        private final Entry entry;
        private final Instant deadline;
        private boolean released;

        private Registration(RequestId id, Entry entry, Instant deadline) {
            this.id = id;
            this.entry = entry;
            this.deadline = deadline;
        }

        /** Completes with the reply JSON; fails with a {@link CancellationException} on shutdown. */
        public CompletableFuture<String> reply() {
            return entry.reply;
        }

        public Instant deadline() {
            return deadline;
        }

        /** Time left until the deadline, by the waiters' clock; never negative. */
        public Duration remaining() {
            Duration left = Duration.between(clock.instant(), deadline);
            return left.isNegative() ? Duration.ZERO : left;
        }

        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            waiting.decrementAndGet();
            // only this registration's entry: after arrived() a new entry for the same id may exist
            entries.computeIfPresent(id, (key, e) -> e != entry ? e : --e.registrations == 0 ? null : e);
        }
    }
}
