package dev.pipeline.cli.send;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.core.kafka.KafkaClients;
import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.kafka.TopicSetup;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RecordHeaders;
import dev.pipeline.core.message.Request;

/**
 * Sends straight to the requests topic, writing exactly what ingest writes: the Request JSON
 * (version 1, {@code submittedAt} now), key = ordering key, headers {@code request-id} and
 * {@code traceparent}. No type or payload validation happens here: an unknown type gets a
 * {@code rejected} reply from the processor instead of a 422.
 *
 * <p>The producer is idempotent with acks=all (from {@link KafkaClients#requestProducer}), so
 * records of one key keep the order they were sent in. Its callbacks run on the producer's I/O
 * thread and only complete futures.
 */
final class DirectSender implements Sender {

    private static final Logger log = LoggerFactory.getLogger(DirectSender.class);

    static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    static final long TOPIC_CHECK_SECONDS = 10;
    static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(2);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaSettings settings;
    private final KafkaClients clients;
    private KafkaProducer<byte[], byte[]> producer;
    private boolean closed;

    /** @param client the run's client id, to name this process's Kafka clients in broker logs */
    DirectSender(KafkaSettings settings, String client) {
        this.settings = settings;
        this.clients = new KafkaClients(settings, "send-" + client);
    }

    @Override
    public void start() {
        // also the reachability check: like ingest, create the topics when they are missing
        Admin admin = clients.admin();
        try {
            ensureTopics(admin);
        } finally {
            // bounded: a plain close() waits out the default API timeout (60 s) of a call to a dead broker
            admin.close(ADMIN_CLOSE_TIMEOUT);
        }
        producer = clients.requestProducer(SEND_TIMEOUT);
    }

    private void ensureTopics(Admin admin) {
        try {
            TopicSetup.ensure(admin, settings, TOPIC_CHECK_SECONDS);
        } catch (IllegalStateException e) {
            throw new SendException("cannot reach Kafka: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<SendOutcome> send(Submission submission) {
        CompletableFuture<SendOutcome> outcome = new CompletableFuture<>();
        Request request = submission.toRequest(Instant.now());
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(settings.topics().requests(),
                request.orderingKey().getBytes(StandardCharsets.UTF_8), Json.toBytes(request));
        record.headers()
                .add(RecordHeaders.REQUEST_ID, request.id().value().getBytes(StandardCharsets.UTF_8))
                .add(RecordHeaders.TRACEPARENT, Traceparent.random().getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record, (metadata, error) -> outcome.complete(error == null
                    ? new SendOutcome.Accepted(request.id())
                    : new SendOutcome.Failed("Kafka: " + error.getMessage())));
        } catch (KafkaException e) {
            // send() itself fails when metadata does not come within max.block.ms, or on a closed producer
            outcome.complete(new SendOutcome.Failed("Kafka: " + e.getMessage()));
        }
        return outcome;
    }

    @Override
    public long retries() {
        return 0; // the idempotent producer retries inside, invisibly and without duplicates
    }

    @Override
    public String mode() {
        return "direct";
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (producer != null) {
            try {
                producer.close(CLOSE_TIMEOUT);
            } catch (KafkaException e) {
                log.warn("closing the requests producer failed: {}", e.getMessage());
            }
        }
    }
}
