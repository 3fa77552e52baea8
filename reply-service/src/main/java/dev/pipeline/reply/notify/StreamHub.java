package dev.pipeline.reply.notify;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open SSE streams, by client. The consumer thread calls {@link #published} after each
 * stored batch with the clients it contained; each affected stream is woken and reads the new
 * replies from the store itself, so a slow stream never holds up the consumer. Only clients with
 * an open stream have an entry: the map is as large as the number of streams, which is capped.
 */
public final class StreamHub implements AutoCloseable {

    /** The key of streams that follow every client. Not a legal client name on the wire: it has a NUL. */
    private static final String ALL = "\u0000all";

    /** The outcome of {@link #subscribe}. */
    public sealed interface Admission {
        record Admitted(Subscription subscription) implements Admission {
        }

        record Full(int max) implements Admission {
        }

        record Closed() implements Admission {
        }
    }

    private final ConcurrentHashMap<String, Set<Subscription>> byClient = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final int maxStreams;
    private volatile boolean closed;

    public StreamHub(int maxStreams) {
        if (maxStreams < 1) {
            throw new IllegalArgumentException("max streams must be at least 1");
        }
        this.maxStreams = maxStreams;
    }

    /**
     * Opens a subscription; subscribe <em>before</em> reading the store, so that nothing stored
     * in between is missed.
     *
     * @param client the client to follow; empty for every client
     */
    public Admission subscribe(Optional<String> client) {
        if (closed) {
            return new Admission.Closed();
        }
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            return new Admission.Full(maxStreams);
        }
        Subscription subscription = new Subscription(client.orElse(ALL));
        byClient.compute(subscription.key, (key, set) -> {
            Set<Subscription> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(subscription);
            return s;
        });
        if (closed) {
            subscription.end();
        }
        return new Admission.Admitted(subscription);
    }

    /**
     * Wakes the streams following everyone and those of these clients: call it after the commit
     * of a batch that stored something, with the clients of the replies it stored. Consumer thread.
     */
    public void published(Collection<String> clients) {
        wakeAll(ALL);
        for (String client : Set.copyOf(clients)) {
            wakeAll(client);
        }
    }

    /** Streams open now. */
    public int open() {
        return open.get();
    }

    /** Ends every stream: each wakes, sees it is closed and finishes its response. */
    @Override
    public void close() {
        closed = true;
        byClient.values().forEach(set -> set.forEach(Subscription::end));
    }

    private void wakeAll(String key) {
        Set<Subscription> set = byClient.get(key);
        if (set != null) {
            set.forEach(Subscription::wake);
        }
    }

    /** One stream's doorbell. Owned by the HTTP thread that writes the stream. */
    public final class Subscription implements AutoCloseable {

        private final String key;
        // at most one permit matters: "something new since you last looked"
        private final Semaphore news = new Semaphore(0);
        private volatile boolean ended;
        private boolean released;

        private Subscription(String key) {
            this.key = key;
        }

        /**
         * Waits until something new may be in the store, the hub closes, or {@code max} passes.
         *
         * @return true when woken, false when the time ran out
         */
        public boolean await(Duration max) throws InterruptedException {
            boolean woken = news.tryAcquire(Math.max(0, max.toMillis()), TimeUnit.MILLISECONDS);
            news.drainPermits();
            return woken;
        }

        /** Whether the service is stopping and the stream should end. */
        public boolean ended() {
            return ended;
        }

        void wake() {
            if (news.availablePermits() == 0) {
                news.release();
            }
        }

        void end() {
            ended = true;
            news.release();
        }

        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            open.decrementAndGet();
            byClient.computeIfPresent(key, (k, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
        }
    }
}
