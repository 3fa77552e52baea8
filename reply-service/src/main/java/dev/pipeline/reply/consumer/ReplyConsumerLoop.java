package dev.pipeline.reply.consumer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.reply.store.WriteResult;

/**
 * Moves replies from the replies topic into the store. One thread, started by {@link #start()},
 * creates, uses and closes the Kafka consumer; other threads only call {@link #close()}, which
 * flips a flag and wakes it.
 *
 * <p>Each poll: parse the records, store them in one database transaction, then commit the
 * consumed offsets to Kafka, then tell the listener. Offsets are never committed before the
 * store has committed, so a crash replays and never skips; the store ignores replayed replies
 * (first reply wins), so a replay inserts nothing twice. When the store fails, no offsets are
 * committed: the consumer seeks back to the last stored position and retries after a backoff.
 */
public final class ReplyConsumerLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplyConsumerLoop.class);

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(30);

    private final Supplier<org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>> consumerFactory;
    private final String topic;
    private final ReplySink sink;
    private final Consumer<WriteResult> afterCommit;
    private final BatchParser parser = new BatchParser();
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final Thread thread;

    // set by the loop thread once it has created the consumer; read by close() to wake it
    private volatile org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
    private volatile boolean running;
    private final AtomicLong failedWrites = new AtomicLong();

    // loop thread only
    private final Map<TopicPartition, OffsetAndMetadata> stored = new HashMap<>();
    private boolean rewindNeeded;
    private int storeFailures;
    private long lastFailureLogNanos;

    /**
     * @param consumerFactory builds the consumer, on the loop thread
     * @param topic           the replies topic
     * @param sink            stores a batch in one transaction
     * @param afterCommit     told what each stored batch inserted, after its offsets were committed
     */
    public ReplyConsumerLoop(Supplier<org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>> consumerFactory,
                             String topic, ReplySink sink, Consumer<WriteResult> afterCommit) {
        this.consumerFactory = consumerFactory;
        this.topic = topic;
        this.sink = sink;
        this.afterCommit = afterCommit;
        this.thread = Thread.ofPlatform().name("reply-consumer").unstarted(this::run);
    }

    public void start() {
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
    }

    /** Whether the consumer is subscribed and polling. */
    public boolean running() {
        return running;
    }

    /** Batches the store refused since start (each is retried until it goes in). */
    public long failedWrites() {
        return failedWrites.get();
    }

    /** Completes with the cause if the loop stopped on an error it cannot recover from. */
    public CompletableFuture<Throwable> failure() {
        return failure;
    }

    private void run() {
        try {
            var kafka = consumerFactory.get();
            consumer = kafka;
            try {
                if (stopRequested.getCount() > 0) {
                    poll(kafka);
                }
            } finally {
                running = false;
                // leaves the group at once, so its partitions move without waiting for a session timeout
                kafka.close(CloseOptions.timeout(KAFKA_TIMEOUT));
            }
        } catch (RuntimeException e) {
            log.error("the reply consumer stopped on an error it cannot recover from", e);
            failure.complete(e);
        } finally {
            running = false;
            finished.countDown();
        }
    }

    private void poll(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> kafka) {
        kafka.subscribe(List.of(topic), new Rebalance(kafka));
        running = true;
        log.info("consuming replies from {}", topic);
        while (stopRequested.getCount() > 0) {
            try {
                runOnce(kafka);
            } catch (WakeupException e) {
                // close() woke the consumer: the loop condition ends the loop
            }
        }
        try {
            commitStored(kafka);
        } catch (WakeupException e) {
            commitStored(kafka); // a wakeup that arrived between blocking calls fires once
        }
    }

    /** One iteration: (rewind,) poll, store, commit, notify. Package-private for tests. */
    void runOnce(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> kafka) {
        if (rewindNeeded && !rewind(kafka)) {
            pause();
            return;
        }
        ConsumerRecords<byte[], byte[]> records = kafka.poll(POLL_TIMEOUT);
        if (records.isEmpty()) {
            commitStored(kafka); // retries a commit that failed earlier; a no-op otherwise
            return;
        }
        ParsedBatch batch = parser.parse(records);
        WriteResult result;
        try {
            result = sink.write(batch.replies(), batch.unparseable());
        } catch (Exception e) {
            storeFailed(records.count(), e);
            rewindNeeded = true;
            pause();
            return;
        }
        storeRecovered();
        stored.putAll(batch.nextOffsets());
        try {
            commitStored(kafka);
        } finally {
            // the replies are in the store whether or not Kafka took the offsets: wake readers anyway
            afterCommit.accept(result);
        }
    }

    /**
     * Commits the offsets of everything stored. A failed commit is not fatal: the offsets stay
     * here and go with the next commit; if the partition moves to another consumer first, it
     * replays those replies and the store ignores them.
     */
    private void commitStored(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> kafka) {
        if (stored.isEmpty()) {
            return;
        }
        try {
            kafka.commitSync(Map.copyOf(stored), KAFKA_TIMEOUT);
            stored.clear();
        } catch (CommitFailedException | RebalanceInProgressException | RetriableException e) {
            log.warn("could not commit reply offsets ({}); they are stored and will be committed with the next batch",
                    e.toString());
        }
    }

    /** Seeks every assigned partition back to its last stored position. */
    private boolean rewind(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> kafka) {
        try {
            Set<TopicPartition> assigned = kafka.assignment();
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.committed(assigned, KAFKA_TIMEOUT);
            for (TopicPartition partition : assigned) {
                // stored but not yet committed is as good as committed: the store has it
                OffsetAndMetadata position = stored.getOrDefault(partition, committed.get(partition));
                if (position != null) {
                    kafka.seek(partition, position);
                } else {
                    kafka.seekToBeginning(List.of(partition));
                }
            }
            rewindNeeded = false;
            return true;
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("could not seek back to the committed reply offsets ({}); retrying before polling again", e.toString());
            return false;
        }
    }

    private void storeFailed(int records, Exception e) {
        storeFailures++;
        failedWrites.incrementAndGet();
        long now = System.nanoTime();
        if (storeFailures == 1) {
            log.warn("cannot store a batch of {} replies; offsets not committed, rewinding to retry with backoff", records, e);
            lastFailureLogNanos = now;
        } else if (now - lastFailureLogNanos >= FAILURE_LOG_INTERVAL.toNanos()) {
            log.warn("still cannot store replies after {} attempts: {}", storeFailures, e.toString());
            lastFailureLogNanos = now;
        }
    }

    private void storeRecovered() {
        if (storeFailures > 0) {
            log.info("storing replies again after {} failed attempts", storeFailures);
            storeFailures = 0;
        }
        backoff.reset();
    }

    /** Waits before a retry; returns at once when close() is called. */
    private void pause() {
        try {
            stopRequested.await(backoff.next().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested.countDown();
        }
    }

    /**
     * Stops the loop and waits for it, bounded: the loop commits what it stored and closes the
     * consumer (leaving the group) on its own thread.
     */
    @Override
    public void close() {
        stopRequested.countDown();
        var kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        if (!started.get()) {
            return;
        }
        try {
            if (!finished.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("the reply consumer did not stop within {}", STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs inside poll(), on the loop thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> kafka;

        Rebalance(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // every batch is stored and committed before the next poll, so there is nothing in
            // flight here; only offsets whose commit failed are left, and the new owner would
            // merely replay those, but committing them now spares it the work
            Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>();
            partitions.forEach(p -> {
                OffsetAndMetadata offset = stored.remove(p);
                if (offset != null) {
                    leaving.put(p, offset);
                }
            });
            if (!leaving.isEmpty()) {
                try {
                    kafka.commitSync(leaving, KAFKA_TIMEOUT);
                } catch (RuntimeException e) {
                    log.info("could not commit offsets of revoked partitions {} ({}); the new owner replays them",
                            leaving.keySet(), e.toString());
                }
            }
            parser.forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(stored::remove);
            parser.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.debug("assigned reply partitions {}", partitions);
        }
    }
}
