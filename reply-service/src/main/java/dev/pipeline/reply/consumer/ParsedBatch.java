package dev.pipeline.reply.consumer;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.pipeline.reply.store.IncomingReply;

/**
 * One poll's records, parsed.
 *
 * @param replies     the records that are replies, in poll order
 * @param unparseable how many records were not
 * @param nextOffsets where each partition continues once this batch is stored: the offsets to commit
 */
record ParsedBatch(List<IncomingReply> replies, int unparseable, Map<TopicPartition, OffsetAndMetadata> nextOffsets) {

    ParsedBatch {
        replies = List.copyOf(replies);
        nextOffsets = Map.copyOf(nextOffsets);
    }
}
