package dev.pipeline.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RecordHeaders;
import dev.pipeline.core.message.Reply;
import dev.pipeline.core.message.ReplyStatus;
import dev.pipeline.core.message.RequestId;

class RecordFactoryTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private static final Outcome.DeadLetter WHY = new Outcome.DeadLetter("JsonParseException", "not JSON");

    private final RecordFactory records = new RecordFactory("replies", "dlq");
    private final ConsumerRecord<byte[], byte[]> request =
            new ConsumerRecord<>("requests", 0, 7L, "k".getBytes(StandardCharsets.UTF_8), new byte[0]);

    @Test
    void writesAnOrdinaryResultAsItIs() throws Exception {
        JsonNode result = JsonNodeFactory.instance.objectNode().put("words", 2).set("counts",
                JsonNodeFactory.instance.objectNode().put("a", 1).put("b", 1));

        Reply written = Json.readReply(records.reply(request, ok(result)).value());

        assertThat(written.status()).isEqualTo(ReplyStatus.OK);
        assertThat(written.result()).isEqualTo(result);
    }

    @Test
    void replacesAResultWithANameLongerThanReadersTakeByAnErrorReplyThatReadsBack() throws Exception {
        // wordcount's answer to a payload of one 60,000-letter word: valid JSON, but over the name bound
        ObjectNode counts = JsonNodeFactory.instance.objectNode().put("x".repeat(60_000), 1);
        JsonNode result = JsonNodeFactory.instance.objectNode().put("words", 1).set("counts", counts);

        Reply written = Json.readReply(records.reply(request, ok(result)).value());

        assertThat(written.status()).isEqualTo(ReplyStatus.ERROR);
        assertThat(written.error().code()).isEqualTo("result_unreadable");
        assertThat(written.error().message()).contains("Name length");
        assertThat(written.requestId().value()).isEqualTo("r-1");
    }

    @Test
    void replacesAResultNestedDeeperThanReadersTakeByAnErrorReply() throws Exception {
        ArrayNode deep = JsonNodeFactory.instance.arrayNode();
        ArrayNode inner = deep;
        for (int i = 0; i < Json.MAX_NESTING_DEPTH; i++) {
            inner = inner.addArray();
        }

        Reply written = Json.readReply(records.reply(request, ok(deep)).value());

        assertThat(written.status()).isEqualTo(ReplyStatus.ERROR);
        assertThat(written.error().code()).isEqualTo("result_unreadable");
        assertThat(written.error().message()).contains("nesting depth");
    }

    @Test
    void deadLettersARecordAsItWasWithTheReason() {
        ConsumerRecord<byte[], byte[]> source = source(new byte[] {1, 2, 3});
        source.headers().add("traceparent", "t".getBytes(StandardCharsets.UTF_8));

        ProducerRecord<byte[], byte[]> letter = records.deadLetter(source, WHY, 1, NOW);

        assertThat(letter.topic()).isEqualTo("dlq");
        assertThat(letter.key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        assertThat(letter.value()).isEqualTo(new byte[] {1, 2, 3});
        assertThat(letter.headers().toArray()[0].key()).isEqualTo("traceparent");
        assertThat(header(letter, RecordHeaders.DLQ_ERROR_CLASS)).isEqualTo("JsonParseException");
        assertThat(header(letter, RecordHeaders.DLQ_SOURCE_OFFSET)).isEqualTo("7");
        assertThat(letter.headers().lastHeader(RecordHeaders.DLQ_DROPPED)).isNull();
    }

    @Test
    void deadLettersARecordTooLargeToCopyWithoutItsBytesSoThePartitionMovesOn() {
        // a record written at the 1 MiB limit: with the reason headers, the producer would refuse its copy
        ConsumerRecord<byte[], byte[]> source = source(new byte[(1 << 20) - 100]);

        ProducerRecord<byte[], byte[]> letter = records.deadLetter(source, WHY, 1, NOW);

        assertThat(letter.key()).isNull();
        assertThat(letter.value()).isNull();
        assertThat(header(letter, RecordHeaders.DLQ_ERROR_CLASS)).isEqualTo("JsonParseException");
        assertThat(header(letter, RecordHeaders.DLQ_ERROR_MESSAGE)).isEqualTo("not JSON");
        assertThat(header(letter, RecordHeaders.DLQ_SOURCE_TOPIC)).isEqualTo("requests");
        assertThat(header(letter, RecordHeaders.DLQ_SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(letter, RecordHeaders.DLQ_SOURCE_OFFSET)).isEqualTo("7");
        assertThat(header(letter, RecordHeaders.DLQ_DROPPED)).contains("value (1048476 bytes)").endsWith("requests-0@7");
    }

    @Test
    void keepsTheBytesExactlyWhenTheProducerWouldSendTheCopy() {
        int limit = 10_000;
        RecordFactory small = new RecordFactory("replies", "dlq", limit);
        for (int length = 9_000; length <= limit; length++) {
            ProducerRecord<byte[], byte[]> letter = small.deadLetter(source(new byte[length]), WHY, 1, NOW);
            // what is kept whole must pass the producer's own size check (an internal Kafka API, used only here)
            int producersEstimate = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                    CompressionType.NONE, letter.key(), letter.value(), letter.headers().toArray());
            assertThat(producersEstimate).as("length %d", length).isLessThanOrEqualTo(limit);
            if (length < 9_500) {
                assertThat(letter.value()).as("length %d", length).hasSize(length);
            }
        }
    }

    private ConsumerRecord<byte[], byte[]> source(byte[] value) {
        return new ConsumerRecord<>("requests", 0, 7L, "k".getBytes(StandardCharsets.UTF_8), value);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static Reply ok(JsonNode result) {
        return new Reply(Reply.VERSION, new RequestId("r-1"), "c", "wordcount", ReplyStatus.OK, result, null, 1, "p/0",
                NOW, NOW, 0);
    }
}
