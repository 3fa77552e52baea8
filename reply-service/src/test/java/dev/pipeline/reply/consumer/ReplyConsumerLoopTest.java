package dev.pipeline.reply.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RequestId;
import dev.pipeline.reply.store.IncomingReply;
import dev.pipeline.reply.store.WriteResult;
import dev.pipeline.reply.testing.TestReplies;

/**
 * Steps the loop by hand over Kafka's MockConsumer to check the order of its steps: store, then
 * commit, then notify; and on a store failure no commit and a seek back. The integration tests
 * check the same against a real broker.
 */
class ReplyConsumerLoopTest {

    private static final TopicPartition P0 = new TopicPartition("replies", 0);

    private final MockConsumer<byte[], byte[]> kafka = new MockConsumer<>("earliest");
    private final List<List<RequestId>> writes = new ArrayList<>();
    private final List<WriteResult> notified = new ArrayList<>();
    private boolean storeDown;

    private final ReplySink sink = (replies, unparseable) -> {
        writes.add(replies.stream().map(IncomingReply::requestId).toList());
        if (storeDown) {
            throw new SQLException("database is locked");
        }
        return new WriteResult(replies, 0);
    };

    private final ReplyConsumerLoop loop = new ReplyConsumerLoop(() -> kafka, "replies", sink, notified::add);

    ReplyConsumerLoopTest() {
        kafka.assign(List.of(P0));
        kafka.updateBeginningOffsets(Map.of(P0, 0L));
    }

    private void addReplies(String... ids) {
        long offset = 0;
        for (String id : ids) {
            byte[] value = Json.toBytes(TestReplies.reply(id, "alice", id));
            kafka.addRecord(new ConsumerRecord<>("replies", 0, offset++, "alice".getBytes(StandardCharsets.UTF_8), value));
        }
    }

    private Long committed() {
        OffsetAndMetadata offset = kafka.committed(Set.of(P0)).get(P0);
        return offset == null ? null : offset.offset();
    }

    @Test
    void commitsTheOffsetsAfterTheStoreAndThenNotifies() {
        addReplies("r-0", "r-1", "r-2");

        loop.runOnce(kafka);

        assertThat(writes).containsExactly(List.of(new RequestId("r-0"), new RequestId("r-1"), new RequestId("r-2")));
        assertThat(committed()).isEqualTo(3L);
        assertThat(notified).hasSize(1);
        assertThat(notified.getFirst().inserted()).hasSize(3);
    }

    @Test
    void aStoreFailureCommitsNothingAndTheBatchIsReadAgainFromTheCommittedOffset() {
        addReplies("r-0", "r-1", "r-2");
        storeDown = true;

        loop.runOnce(kafka);

        assertThat(committed()).isNull();
        assertThat(notified).isEmpty();
        assertThat(kafka.position(P0)).isEqualTo(3L); // polled past the batch; the next step seeks back

        storeDown = false;
        addReplies("r-0", "r-1", "r-2"); // the broker serves the same records again after the seek
        loop.runOnce(kafka);

        assertThat(writes).hasSize(2);
        assertThat(writes.get(1)).isEqualTo(writes.get(0));
        assertThat(committed()).isEqualTo(3L);
        assertThat(notified).hasSize(1);
    }

    @Test
    void anEmptyPollStoresNothing() {
        loop.runOnce(kafka);

        assertThat(writes).isEmpty();
        assertThat(committed()).isNull();
    }
}
