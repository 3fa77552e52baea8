package dev.pipeline.reply.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.pipeline.core.kafka.KafkaClients;
import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RecordHeaders;
import dev.pipeline.core.message.Reply;

/** Writes replies to the replies topic the way a processor does: in transactions, keyed by client. */
public final class ReplyProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public ReplyProducer(KafkaSettings settings, String transactionalId) {
        this.topic = settings.topics().replies();
        this.producer = new KafkaClients(settings, "test-processor").transactionalProducer(transactionalId, Duration.ofSeconds(30));
        producer.initTransactions();
    }

    public void commit(List<Reply> replies) {
        producer.beginTransaction();
        replies.forEach(this::send);
        producer.commitTransaction();
    }

    public void commit(Reply... replies) {
        commit(List.of(replies));
    }

    /** Sends and then aborts: read_committed readers must never see these. */
    public void abort(Reply... replies) {
        producer.beginTransaction();
        List.of(replies).forEach(this::send);
        producer.flush();
        producer.abortTransaction();
    }

    /** A committed record that is not a reply. */
    public void commitRaw(String key, byte[] value) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
        producer.commitTransaction();
    }

    private void send(Reply reply) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, reply.client().getBytes(StandardCharsets.UTF_8),
                Json.toBytes(reply));
        record.headers().add(RecordHeaders.REQUEST_ID, reply.requestId().value().getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
