package dev.pipeline.cli.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import dev.pipeline.core.kafka.KafkaClients;

/**
 * Counts the committed records of the replies topic from its beginning, on a thread of its own that
 * creates and closes its consumer. Other threads read {@link #count()} and call {@link #close()}.
 */
final class ReplyCounter implements AutoCloseable {

    private final AtomicLong count = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    ReplyCounter(KafkaClients clients, String topic, int partitions) {
        this.thread = Thread.ofPlatform().name("bench-reply-counter").daemon().unstarted(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = clients.assignedConsumer(true)) {
                List<TopicPartition> all = java.util.stream.IntStream.range(0, partitions)
                        .mapToObj(p -> new TopicPartition(topic, p)).toList();
                consumer.assign(all);
                consumer.seekToBeginning(all);
                while (running.get()) {
                    count.addAndGet(consumer.poll(Duration.ofMillis(50)).count());
                }
            }
        });
    }

    ReplyCounter start() {
        thread.start();
        return this;
    }

    long count() {
        return count.get();
    }

    /**
     * Waits until {@code target} replies were counted; fails when none arrived for {@code stall}.
     *
     * @return the nanoTime at which the target was seen
     */
    long awaitAtLeast(long target, Duration stall) throws InterruptedException {
        long last = count.get();
        long lastProgress = System.nanoTime();
        while (true) {
            long now = count.get();
            if (now >= target) {
                return System.nanoTime();
            }
            if (now != last) {
                last = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
                throw new IllegalStateException("stalled at " + now + " of " + target + " replies for " + stall.toSeconds() + " s");
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(Duration.ofSeconds(10));
    }
}
