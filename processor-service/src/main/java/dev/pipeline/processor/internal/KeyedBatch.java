package dev.pipeline.processor.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Runs the records of one batch concurrently across keys and in order within a key: records
 * with equal keys form a group that one virtual thread runs one after another; at most
 * {@code concurrency} groups run at once. A record without a key is grouped by its partition.
 * For I/O-bound handlers this multiplies a worker's throughput while per-key order holds.
 *
 * <p>Called by one worker thread; the action must be thread-safe (it runs on several threads).
 * Every group gets its own thread at once and waits for a permit, so stopping is simple: interrupt
 * them all and join them all; nothing can be left queued and never run.
 */
public final class KeyedBatch {

    /** What to do with one record; may block, may be interrupted. */
    @FunctionalInterface
    public interface RecordAction {
        void accept(ConsumerRecord<byte[], byte[]> record) throws InterruptedException;
    }

    private final int concurrency;
    private final String name;

    public KeyedBatch(int concurrency, String name) {
        this.concurrency = concurrency;
        this.name = name;
    }

    /**
     * Runs {@code action} over {@code records} and returns when every record is done. If one
     * fails, the others are interrupted, and once all have stopped the first failure is thrown.
     *
     * @throws InterruptedException if the calling thread or a record's action was interrupted
     */
    public void run(List<ConsumerRecord<byte[], byte[]>> records, RecordAction action) throws InterruptedException {
        Map<Object, List<ConsumerRecord<byte[], byte[]>>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Object key = record.key() != null ? ByteBuffer.wrap(record.key()) : "partition-" + record.partition();
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(record);
        }
        Semaphore permits = new Semaphore(concurrency);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(byKey.size());
        Runnable stopAll = () -> threads.forEach(Thread::interrupt);
        for (List<ConsumerRecord<byte[], byte[]>> group : byKey.values()) {
            threads.add(Thread.ofVirtual().name(name + "-key").unstarted(() -> {
                try {
                    permits.acquire();
                    try {
                        for (ConsumerRecord<byte[], byte[]> record : group) {
                            action.accept(record);
                        }
                    } finally {
                        permits.release();
                    }
                } catch (Throwable t) {
                    if (failure.compareAndSet(null, t)) {
                        synchronized (threads) {
                            stopAll.run();
                        }
                    }
                }
            }));
        }
        synchronized (threads) {
            threads.forEach(Thread::start);
        }
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            stopAll.run();
            for (Thread thread : threads) {
                joinUninterruptibly(thread);
            }
            throw e;
        }
        Throwable first = failure.get();
        if (first == null) {
            return;
        }
        if (first instanceof InterruptedException interrupted) {
            throw interrupted;
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (first instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("a record action failed", first);
    }

    /** Waits for a thread already told to stop: nothing may run on after the batch is aborted. */
    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
