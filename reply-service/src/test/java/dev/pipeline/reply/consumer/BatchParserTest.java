package dev.pipeline.reply.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RequestId;
import dev.pipeline.reply.store.IncomingReply;
import dev.pipeline.reply.testing.TestReplies;

class BatchParserTest {

    private static final TopicPartition P0 = new TopicPartition("replies", 0);

    private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] value) {
        return new ConsumerRecord<>("replies", 0, offset, "k".getBytes(StandardCharsets.UTF_8), value);
    }

    private static ConsumerRecords<byte[], byte[]> records(List<ConsumerRecord<byte[], byte[]>> records, long next) {
        return new ConsumerRecords<>(Map.of(P0, records), Map.of(P0, new OffsetAndMetadata(next, Optional.empty(), "")));
    }

    @Test
    void keepsRepliesWithTheirExactTextAndCountsTheRest() {
        byte[] reply = Json.toBytes(TestReplies.reply("r-1", "alice", "x"));
        ConsumerRecords<byte[], byte[]> batch = records(List.of(
                record(0, reply),
                record(1, "not json".getBytes(StandardCharsets.UTF_8)),
                record(2, "{\"v\":1,\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8)), // no requestId
                record(3, null)), 5);

        ParsedBatch parsed = new BatchParser().parse(batch);

        assertThat(parsed.replies()).extracting(IncomingReply::requestId).containsExactly(new RequestId("r-1"));
        assertThat(parsed.replies().getFirst().json()).isEqualTo(new String(reply, StandardCharsets.UTF_8));
        assertThat(parsed.unparseable()).isEqualTo(3);
        assertThat(parsed.nextOffsets()).containsEntry(P0, new OffsetAndMetadata(5, Optional.empty(), ""));
    }

    @Test
    void withoutNextOffsetsFromTheConsumerTheOffsetAfterTheLastRecordIsCommitted() {
        @SuppressWarnings("deprecation")
        ConsumerRecords<byte[], byte[]> batch = new ConsumerRecords<>(Map.of(P0, List.of(record(7, null), record(8, null))));

        assertThat(BatchParser.nextOffsets(batch).get(P0).offset()).isEqualTo(9);
    }
}
