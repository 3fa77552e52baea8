package dev.pipeline.processor.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One processor worker: a thread that owns one consumer and one transactional producer, and
 * turns polled records into transactions, each holding replies, dead letters and the consumed
 * offsets ({@code sendOffsetsToTransaction} with the group metadata taken at the poll, so a
 * worker fenced out of the group since then cannot commit: its transaction aborts).
 *
 * <p>Threads: {@link #run()} runs on the worker's own thread, which creates, uses and closes both
 * clients. Other threads only call {@link #stop()}, which flips a flag and wakes the consumer.
 * Records of a key are processed one after another, in offset order, so per-key order holds:
 * by default a worker runs all its records one at a time; with a concurrency above 1 it runs a
 * batch's keys concurrently ({@link KeyedBatch}). The consumer is subscribed with a rebalance
 * listener, so partitions are only given up inside {@code poll()}, which runs only when no
 * polled record is pending: a transaction never straddles a rebalance.
 *
 * <p>At least once (not {@code transactional}), the same loop writes a batch's replies, waits
 * until the broker acknowledged them all, then commits the offsets: no transaction overhead, and
 * a crash in between replies twice (the reply store keeps the first).
 *
 * <p>On an abortable error the transaction is aborted and the consumer seeks back to the first
 * record it had not committed, known locally; repeated aborts back off.
 */
public final class Worker implements WorkerLoop {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    /** Records one keyed (concurrent) transaction takes at most; serial transactions end on the commit interval. */
    static final int KEYED_TRANSACTION_RECORDS = 500;
    private static final int COMMIT_ATTEMPTS = 5;
    /** More recreations than this within {@link #RECREATE_WINDOW} means another instance has our id. */
    private static final int MAX_RECREATES = 3;
    private static final Duration RECREATE_WINDOW = Duration.ofMinutes(1);
    private static final Duration MAX_ABORT_BACKOFF = Duration.ofSeconds(5);

    private final String name;
    private final String requestsTopic;
    private final Supplier<KafkaConsumer<byte[], byte[]>> consumers;
    private final Supplier<KafkaProducer<byte[], byte[]>> producers;
    private final RequestProcessor processor;
    private final RecordFactory records;
    private final Duration commitInterval;
    /** Runs a batch concurrently across keys; null when records run one after another. */
    private final KeyedBatch keyedBatch;
    /** Exactly once (one transaction per batch) or at least once (replies, then offsets). */
    private final boolean transactional;
    /** At least once: the writes of the batch in flight, checked before its offsets are committed. */
    private final List<Future<RecordMetadata>> writes = Collections.synchronizedList(new ArrayList<>());
    private final Clock clock;
    private final Consumer<Throwable> onFatal;
    private final RecreationWindow recreations;
    /** Records polled but not yet processed; only the worker thread touches it. */
    private final Deque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();

    private volatile boolean stopping;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    /** The group metadata at the last poll: commits must not use a newer member epoch. */
    private ConsumerGroupMetadata pollMetadata;
    private int abortsInARow;

    /**
     * @param name           instance/worker, written into replies
     * @param consumers      makes this worker's consumer (called on the worker thread)
     * @param producers      makes this worker's transactional producer (called on the worker thread)
     * @param commitInterval a transaction is committed once it has run this long, so readers of
     *                       the replies (read_committed) see them within about this time (one
     *                       record at a time only; with concurrency a transaction is one poll)
     * @param concurrency    records of different keys run at once; 1 runs them one after another
     * @param transactional  true: replies and offsets in one transaction (exactly once); false: the
     *                       replies are written, then the offsets committed (at least once: a crash
     *                       in between replies twice, the store keeps one). {@code producers} must
     *                       make a transactional producer exactly when this is true
     * @param onFatal        told once when the worker gives up for good
     */
    public Worker(String name, String requestsTopic, Supplier<KafkaConsumer<byte[], byte[]>> consumers,
                  Supplier<KafkaProducer<byte[], byte[]>> producers, RequestProcessor processor, RecordFactory records,
                  Duration commitInterval, int concurrency, boolean transactional, Clock clock, Consumer<Throwable> onFatal) {
        this.name = name;
        this.requestsTopic = requestsTopic;
        this.consumers = consumers;
        this.producers = producers;
        this.processor = processor;
        this.records = records;
        this.commitInterval = commitInterval;
        this.keyedBatch = concurrency > 1 ? new KeyedBatch(concurrency, name) : null;
        this.transactional = transactional;
        this.clock = clock;
        this.onFatal = onFatal;
        this.recreations = new RecreationWindow(MAX_RECREATES, RECREATE_WINDOW, clock);
    }

    /** Asks the worker to stop after the transaction in flight; returns at once. Any thread. */
    @Override
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
                if (recreations.tooMany()) {
                    log.error("{}: the clients had to be rebuilt {}: is another processor running with the same "
                            + "instance id? Stopping.", name, recreations, e.getCause());
                    giveUp(e.getCause());
                } else {
                    log.warn("{}: {}; closing and recreating the Kafka clients", name, e.getCause().toString());
                }
            } catch (FatalException e) {
                log.error("{}: cannot go on", name, e.getCause());
                abortQuietly();
                giveUp(e.getCause());
            } catch (WakeupException | InterruptException e) {
                stopping = true;
            } catch (RuntimeException | Error e) {
                // nothing expected ends here; never let the thread die unnoticed
                log.error("{}: unexpected failure", name, e);
                abortQuietly();
                giveUp(e);
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
            } catch (KafkaException e) {
                throw KafkaErrors.classify(e) == KafkaErrors.Action.FATAL ? new FatalException(e) : new RecreateException(e);
            }
            if (batch.isEmpty()) {
                return;
            }
            batch.forEach(pending::addLast);
            pollMetadata = consumer.groupMetadata();
        }
        processInTransaction();
    }

    private void processInTransaction() {
        List<ConsumerRecord<byte[], byte[]>> done = new ArrayList<>();
        writes.clear();
        try {
            if (transactional) {
                producer.beginTransaction();
            }
            if (keyedBatch != null) {
                // a prefix of the poll at once, across keys: pending holds each partition's records
                // in offset order, so a prefix of it holds a prefix of every partition, which is what
                // a transaction must commit; with records running concurrently it cannot stop early
                for (int i = 0; i < KEYED_TRANSACTION_RECORDS && !pending.isEmpty(); i++) {
                    done.add(pending.removeFirst());
                }
                keyedBatch.run(done, this::send);
            } else {
                long deadline = System.nanoTime() + commitInterval.toNanos();
                do {
                    send(pending.peekFirst());
                    done.add(pending.removeFirst());
                } while (!pending.isEmpty() && System.nanoTime() < deadline);
            }
            if (transactional) {
                producer.sendOffsetsToTransaction(BatchOffsets.next(done), pollMetadata);
                commit();
            } else {
                awaitWrites();
                consumer.commitSync(BatchOffsets.next(done));
            }
            abortsInARow = 0;
        } catch (InterruptedException | InterruptException e) {
            // stopping past the shutdown bound: throw the work away; it is redone by the next owner
            log.info("{}: interrupted during a transaction of {} records; aborting it", name, done.size() + pending.size());
            Thread.interrupted(); // so the abort and the closes below really talk to the broker
            pending.clear();
            abortQuietly();
            stopping = true;
        } catch (KafkaException e) {
            switch (KafkaErrors.classify(e)) {
                case FATAL -> throw new FatalException(e);
                case RECREATE -> throw new RecreateException(e); // the producer is unusable: no abort
                case ABORT -> {
                    log.warn("{}: aborting a transaction of {} records and rewinding: {}", name, done.size() + pending.size(), e.toString());
                    abortOrRecreate(e);
                    rewind(done);
                }
            }
        } catch (RecreateException | FatalException e) {
            throw e;
        } catch (RuntimeException e) {
            // not Kafka's: a bug or a plug-in misbehaving; redo the work after a pause
            log.error("{}: aborting a transaction of {} records after an unexpected failure", name, done.size() + pending.size(), e);
            abortOrRecreate(new KafkaException(e));
            rewind(done);
        }
    }

    private void send(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        switch (processor.process(record.value(), name)) {
            case Outcome.Replied replied -> writes.add(producer.send(records.reply(record, replied.reply())));
            case Outcome.DeadLetter deadLetter -> {
                log.warn("{}: dead-lettering {}-{}@{}: {}: {}", name, record.topic(), record.partition(), record.offset(),
                        deadLetter.errorClass(), deadLetter.message());
                writes.add(producer.send(records.deadLetter(record, deadLetter, 1, clock.instant())));
            }
        }
    }

    /** At least once: every reply of the batch must be acknowledged before its offsets are committed. */
    private void awaitWrites() throws InterruptedException {
        for (Future<RecordMetadata> write : writes) {
            try {
                write.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
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
        if (!transactional) {
            return; // nothing to abort: what was written stays, and is written again (at least once)
        }
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            e.addSuppressed(cause);
            throw new RecreateException(e);
        }
    }

    private void abortQuietly() {
        KafkaProducer<byte[], byte[]> p = producer;
        if (p == null || !transactional) {
            return;
        }
        try {
            p.abortTransaction();
        } catch (RuntimeException e) {
            // no transaction open, or the producer is fenced: the coordinator aborts it on its timeout
            log.debug("{}: abort failed", name, e);
        }
    }

    /**
     * After an abort the consumer does not rewind by itself. Every record it returned since the
     * last commit is in {@code done} or still pending, so seeking each of their partitions to the
     * first of them puts it back where the last commit left it, with no call to the broker.
     * Then waits a little longer after each abort in a row, so a failure that repeats does not spin.
     */
    private void rewind(List<ConsumerRecord<byte[], byte[]>> done) {
        List<ConsumerRecord<byte[], byte[]>> uncommitted = new ArrayList<>(done);
        uncommitted.addAll(pending);
        pending.clear();
        try {
            BatchOffsets.first(uncommitted).forEach(consumer::seek);
        } catch (IllegalStateException e) {
            // the partition is no longer assigned: its new owner starts from the committed offset
            throw new RecreateException(e);
        }
        Duration pause = Duration.ofMillis(Math.min(MAX_ABORT_BACKOFF.toMillis(), 100L << Math.min(abortsInARow++, 10)));
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private void openClients() {
        try {
            producer = producers.get();
            if (transactional) {
                // fences any earlier producer with this transactional id and aborts its open transaction
                producer.initTransactions();
            }
            consumer = consumers.get();
            if (stopping) {
                return;
            }
            // with a listener, the consumer gives partitions up only inside poll(), on this thread
            consumer.subscribe(List.of(requestsTopic), new PendingDropper(this::dropPending));
        } catch (KafkaException e) {
            throw KafkaErrors.classify(e) == KafkaErrors.Action.FATAL ? new FatalException(e) : new RecreateException(e);
        }
    }

    /** Pending records of partitions this worker no longer owns are not its to process. */
    private void dropPending(Collection<TopicPartition> partitions) {
        pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
    }

    private void closeClients() {
        Thread.interrupted(); // an interrupted close would skip leaving the group
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

    private void giveUp(Throwable cause) {
        onFatal.accept(cause);
        stopping = true;
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
