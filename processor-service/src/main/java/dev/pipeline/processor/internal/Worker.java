package dev.pipeline.processor.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One processor worker: a thread that owns one consumer and one transactional producer, and
 * turns each poll batch into one transaction holding its replies, its dead letters and the
 * consumed offsets ({@code sendOffsetsToTransaction} with the consumer's group metadata, so a
 * worker fenced out of the group by a rebalance cannot commit: its transaction aborts).
 *
 * <p>Threads: {@link #run()} runs on the worker's own thread, which creates, uses and closes both
 * clients. Other threads only call {@link #stop()}, which flips a flag and wakes the consumer.
 * Records of a partition are processed one after another, in offset order, so per-key order
 * holds. Partitions revoked by a rebalance are only given up inside {@code poll()}, between
 * batches: a batch never straddles a rebalance. If this worker was fenced meanwhile, its commit
 * fails and the whole batch is aborted and redone by the partitions' new owner.
 */
public final class Worker implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final int COMMIT_ATTEMPTS = 5;
    /** More recreations than this within {@link #RECREATE_WINDOW} means another instance has our id. */
    private static final int MAX_RECREATES = 3;
    private static final Duration RECREATE_WINDOW = Duration.ofMinutes(1);

    private final String name;
    private final String requestsTopic;
    private final Supplier<KafkaConsumer<byte[], byte[]>> consumers;
    private final Supplier<KafkaProducer<byte[], byte[]>> producers;
    private final RequestProcessor processor;
    private final RecordFactory records;
    private final Clock clock;
    private final Consumer<Throwable> onFatal;
    private final Duration commitInterval;
    private final Deque<Instant> recreations = new ArrayDeque<>();
    /** Records polled but not yet processed; only the worker thread touches it. */
    private final Deque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();

    private volatile boolean stopping;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;

    /**
     * @param name      instance/worker, written into replies
     * @param consumers makes this worker's consumer (called on the worker thread)
     * @param producers makes this worker's transactional producer (called on the worker thread)
     * @param commitInterval a transaction is committed once it has run this long, so readers of
     *                  the replies (read_committed) see them within about this time
     * @param onFatal   told once when the worker gives up for good
     */
    public Worker(String name, String requestsTopic, Supplier<KafkaConsumer<byte[], byte[]>> consumers,
                  Supplier<KafkaProducer<byte[], byte[]>> producers, RequestProcessor processor, RecordFactory records,
                  Duration commitInterval, Clock clock, Consumer<Throwable> onFatal) {
        this.name = name;
        this.requestsTopic = requestsTopic;
        this.consumers = consumers;
        this.producers = producers;
        this.processor = processor;
        this.records = records;
        this.commitInterval = commitInterval;
        this.clock = clock;
        this.onFatal = onFatal;
    }

    /** Asks the worker to stop after the batch in flight; returns at once. Any thread. */
    public void stop() {
        stopping = true;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    @Override
    public void run() {
        while (!stopping) {
            try {
                openClients();
                while (!stopping) {
                    runOnce();
                }
            } catch (RecreateException e) {
                if (tooManyRecreations()) {
                    log.error("{}: the producer was fenced {} times within {}: is another processor running with the same "
                            + "instance id? Stopping.", name, MAX_RECREATES + 1, RECREATE_WINDOW, e.getCause());
                    onFatal.accept(e.getCause());
                    stopping = true;
                } else {
                    log.warn("{}: {}; closing and recreating the Kafka clients", name, e.getCause().toString());
                }
            } catch (FatalException e) {
                log.error("{}: cannot go on", name, e.getCause());
                onFatal.accept(e.getCause());
                stopping = true;
            } catch (WakeupException | InterruptException e) {
                stopping = true;
            } finally {
                pending.clear();
                closeClients();
            }
        }
        log.debug("{}: stopped", name);
    }

    /**
     * One transaction: polls when nothing is pending, then processes pending records until none
     * is left or the commit interval has passed, and commits what it processed. Records of a
     * poll left over wait for the next transaction, before the next poll, so a partition cannot
     * be revoked while records of it are pending. Package-private for tests.
     */
    void runOnce() {
        if (pending.isEmpty()) {
            ConsumerRecords<byte[], byte[]> batch;
            try {
                batch = consumer.poll(POLL_TIMEOUT);
            } catch (WakeupException e) {
                return; // stop() was called; the loop condition ends the worker
            }
            batch.forEach(pending::addLast);
        }
        if (!pending.isEmpty()) {
            processInTransaction();
        }
    }

    private void processInTransaction() {
        List<ConsumerRecord<byte[], byte[]>> done = new ArrayList<>();
        try {
            producer.beginTransaction();
            long deadline = System.nanoTime() + commitInterval.toNanos();
            do {
                ConsumerRecord<byte[], byte[]> record = pending.peekFirst();
                send(record);
                done.add(pending.removeFirst());
            } while (!pending.isEmpty() && System.nanoTime() < deadline);
            producer.sendOffsetsToTransaction(nextOffsets(done), consumer.groupMetadata());
            commit();
        } catch (InterruptedException | InterruptException e) {
            // stopping past the shutdown bound: throw the batch's work away; it is redone elsewhere
            log.info("{}: interrupted during a transaction of {} records; aborting it", name, done.size() + 1);
            pending.clear();
            abortQuietly();
            stopping = true;
        } catch (KafkaException e) {
            pending.clear();
            switch (KafkaErrors.classify(e)) {
                case FATAL -> throw new FatalException(e);
                case RECREATE -> throw new RecreateException(e); // the producer is unusable: no abort
                case ABORT -> {
                    log.warn("{}: aborting a transaction of {} records and rewinding: {}", name, done.size() + 1, e.toString());
                    abortOrRecreate(e);
                    rewind();
                }
            }
        }
    }

    private void send(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        switch (processor.process(record.value(), name)) {
            case Outcome.Replied replied -> producer.send(records.reply(record, replied.reply()));
            case Outcome.DeadLetter deadLetter -> {
                log.warn("{}: dead-lettering {}-{}@{}: {}: {}", name, record.topic(), record.partition(), record.offset(),
                        deadLetter.errorClass(), deadLetter.message());
                producer.send(records.deadLetter(record, deadLetter, 1, clock.instant()));
            }
        }
    }

    /** Commits; a timeout is retried by committing again, never by aborting (KAFKA-NOTES). */
    private void commit() {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (attempt == COMMIT_ATTEMPTS) {
                    throw new RecreateException(e);
                }
                log.warn("{}: commit timed out (attempt {} of {}); committing again", name, attempt, COMMIT_ATTEMPTS);
            }
        }
    }

    private void abortOrRecreate(KafkaException cause) {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            e.addSuppressed(cause);
            throw new RecreateException(e);
        }
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            log.debug("{}: abort failed; the coordinator aborts the transaction when it times out", name, e);
        }
    }

    /** After an abort the consumer does not rewind by itself: seek to the committed offsets. */
    private void rewind() {
        Set<TopicPartition> assignment = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment);
        for (TopicPartition partition : assignment) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset);
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
    }

    /** The offsets to commit after {@code records}: per partition, one past the last one. */
    static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            // records of a partition are in offset order, so the last one wins
            offsets.put(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1, record.leaderEpoch(), ""));
        }
        return offsets;
    }

    private void openClients() {
        try {
            producer = producers.get();
            // fences any earlier producer with this transactional id and aborts its open transaction
            producer.initTransactions();
            consumer = consumers.get();
            if (stopping) {
                return;
            }
            consumer.subscribe(List.of(requestsTopic));
        } catch (KafkaException e) {
            switch (KafkaErrors.classify(e)) {
                case FATAL -> throw new FatalException(e);
                default -> throw new RecreateException(e);
            }
        }
    }

    private void closeClients() {
        // the consumer first: it leaves the group, so its partitions move at once
        KafkaConsumer<byte[], byte[]> c = consumer;
        consumer = null;
        if (c != null) {
            try {
                c.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("{}: closing the consumer failed", name, e);
            }
        }
        KafkaProducer<byte[], byte[]> p = producer;
        producer = null;
        if (p != null) {
            try {
                p.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("{}: closing the producer failed", name, e);
            }
        }
    }

    private boolean tooManyRecreations() {
        Instant now = clock.instant();
        recreations.addLast(now);
        while (!recreations.isEmpty() && recreations.peekFirst().isBefore(now.minus(RECREATE_WINDOW))) {
            recreations.removeFirst();
        }
        return recreations.size() > MAX_RECREATES;
    }

    /** The clients must be closed and built again. */
    private static final class RecreateException extends RuntimeException {
        RecreateException(Throwable cause) {
            super(cause);
        }
    }

    /** The worker cannot go on. */
    private static final class FatalException extends RuntimeException {
        FatalException(Throwable cause) {
            super(cause);
        }
    }
}
