package dev.pipeline.cli.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import dev.pipeline.core.kafka.KafkaClients;

/** Reads every record of a topic from the beginning to the end it has when reading starts. */
final class TopicReader {

    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaClients clients;
    private final Duration timeout;

    TopicReader(KafkaClients clients, Duration timeout) {
        this.clients = clients;
        this.timeout = timeout;
    }

    /**
     * Calls {@code each} for every record, partition by partition in offset order. With
     * {@code readCommitted} the end is the last stable offset and aborted records are skipped.
     *
     * @return the number of records read
     * @throws IllegalStateException if the topic does not exist or the end is not reached in time
     */
    long read(String topic, boolean readCommitted, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        return read(topic, readCommitted, null, new java.util.HashMap<>(), each);
    }

    /**
     * As {@link #read(String, boolean, Consumer)}, but stops each partition at {@code stopAt}'s
     * offset for it when given, and puts the offset each partition was read to into {@code ends}.
     */
    long read(String topic, boolean readCommitted, Map<Integer, Long> stopAt, Map<Integer, Long> ends,
              Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = clients.assignedConsumer(readCommitted)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
            long count = 0;
            for (TopicPartition partition : partitions) {
                Long stop = stopAt == null ? null : stopAt.get(partition.partition());
                count += readPartition(consumer, partition, stop, ends, each);
            }
            return count;
        }
    }

    private long readPartition(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, Long stopAt,
                               Map<Integer, Long> ends, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        if (stopAt != null) {
            end = Math.min(end, stopAt);
        }
        ends.put(partition.partition(), end);
        long deadline = System.nanoTime() + timeout.toNanos();
        long count = 0;
        while (consumer.position(partition, timeout) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + partition + " to offset " + end + " within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL).records(partition)) {
                if (record.offset() < end) {
                    each.accept(record);
                    count++;
                }
            }
        }
        return count;
    }

    /** The end offset of each partition: the high watermark, or the last stable offset with {@code readCommitted}. */
    Map<Integer, Long> ends(String topic, boolean readCommitted) {
        try (KafkaConsumer<byte[], byte[]> consumer = clients.assignedConsumer(readCommitted)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            Map<Integer, Long> ends = new java.util.HashMap<>();
            consumer.endOffsets(partitions, timeout).forEach((tp, end) -> ends.put(tp.partition(), end));
            return ends;
        }
    }
}
