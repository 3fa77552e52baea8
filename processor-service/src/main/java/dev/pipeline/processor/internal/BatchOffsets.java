package dev.pipeline.processor.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Offsets of a batch of records, which are in offset order within each partition. */
final class BatchOffsets {

    private BatchOffsets() {
    }

    /** What to commit after {@code done}: per partition, one past its last record. */
    static Map<TopicPartition, OffsetAndMetadata> next(List<ConsumerRecord<byte[], byte[]>> done) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : done) {
            offsets.put(partition(record), new OffsetAndMetadata(record.offset() + 1, record.leaderEpoch(), ""));
        }
        return offsets;
    }

    /** Where to seek back to: per partition, its first record. */
    static Map<TopicPartition, Long> first(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            first.merge(partition(record), record.offset(), Math::min);
        }
        return first;
    }

    private static TopicPartition partition(ConsumerRecord<byte[], byte[]> record) {
        return new TopicPartition(record.topic(), record.partition());
    }
}
