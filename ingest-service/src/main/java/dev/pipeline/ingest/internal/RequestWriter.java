package dev.pipeline.ingest.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.core.kafka.KafkaClients;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RecordHeaders;
import dev.pipeline.core.message.Request;

/**
 * Owns the request producer (idempotent, acks=all) and the bound on sends waiting for the
 * broker. {@link #start()} creates the producer, {@link #close()} flushes and closes it; both on
 * the thread that starts and stops the service. {@link #send} is called from many request
 * threads at once; its futures complete on the producer's I/O thread, so what is chained to them
 * must be quick.
 */
public final class RequestWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RequestWriter.class);

    private final KafkaClients clients;
    private final String topic;
    private final Duration sendTimeout;
    private final int maxInFlight;
    private final Semaphore inFlight;
    private volatile Producer<byte[], byte[]> producer;

    public RequestWriter(KafkaClients clients, String topic, Duration sendTimeout, int maxInFlight) {
        this.clients = clients;
        this.topic = topic;
        this.sendTimeout = sendTimeout;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    public void start() {
        producer = clients.requestProducer(sendTimeout);
    }

    /**
     * Fetches the topic's metadata now, so that the first request does not wait for it (and a
     * request thread never blocks on it while Kafka is healthy). Bounded by the send timeout.
     */
    public void warmUp() {
        producer.partitionsFor(topic);
    }

    /**
     * Writes the request: key = its ordering key, value = its JSON, headers = its id and trace.
     * The future completes with {@link Outcome.Accepted} once the broker acknowledged the record,
     * or with {@link Outcome.Refused}: 429 when too many sends are waiting (nothing was sent), 503
     * when Kafka did not take it within the send timeout. It never completes exceptionally.
     * May block up to the send timeout while the producer waits for metadata.
     */
    public CompletableFuture<Outcome> send(Request request, TraceParent trace) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                request.orderingKey().getBytes(StandardCharsets.UTF_8), Json.toBytes(request));
        record.headers().add(RecordHeaders.REQUEST_ID, request.id().value().getBytes(StandardCharsets.UTF_8));
        record.headers().add(RecordHeaders.TRACEPARENT, trace.value().getBytes(StandardCharsets.UTF_8));
        Producer<byte[], byte[]> current = producer;
        if (current == null) {
            return CompletableFuture.completedFuture(new Outcome.Refused(
                    Problem.kafkaUnavailable("the service is stopping; retry on another instance or later")));
        }
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.completedFuture(new Outcome.Refused(Problem.tooManyInFlight(
                    "more than " + maxInFlight + " requests are waiting for Kafka; retry shortly")));
        }
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Callback callback = (RecordMetadata metadata, Exception error) -> {
            // runs on the producer's I/O thread, or in send() itself when the record never left
            inFlight.release();
            outcome.complete(error == null ? new Outcome.Accepted(request.id()) : new Outcome.Refused(refusal(request, error)));
        };
        try {
            current.send(record, callback);
        } catch (RuntimeException e) {
            // send() threw instead of calling back (producer closed, a bug): the permit is ours to return
            inFlight.release();
            outcome.complete(new Outcome.Refused(refusal(request, e)));
        }
        return outcome;
    }

    /** Sends waiting for the broker now; for metrics and tests. */
    public int inFlight() {
        return maxInFlight - inFlight.availablePermits();
    }

    private Problem refusal(Request request, Exception error) {
        if (error instanceof RecordTooLargeException) {
            return Problem.tooLarge("the request is larger than Kafka accepts (" + error.getMessage() + ")");
        }
        if (error instanceof RetriableException) {
            // the broker is away or slow: expected now and then, and each request says so itself
            log.warn("request {} not written: Kafka did not take it within {} ms: {}", request.id(),
                    sendTimeout.toMillis(), error.toString());
            // a delivery that timed out may still have been written: say so, so clients retry safely
            return Problem.kafkaUnavailable("Kafka did not acknowledge the request within " + sendTimeout.toMillis()
                    + " ms (" + error.getMessage() + "); it may or may not be written: retry later with the same id "
                    + "(\"id\": \"" + request.id() + "\") so the retry cannot create a second request");
        }
        // authorization, a closed producer, ...: an operator has to act
        log.error("request {} not written: Kafka refused it", request.id(), error);
        return Problem.kafkaUnavailable("Kafka refused the request (" + error.getMessage()
                + "); it was not accepted, retry later");
    }

    /** Waits up to {@code timeout} for records still in flight, then closes the producer. */
    public void close(Duration timeout) {
        Producer<byte[], byte[]> current = producer;
        if (current != null) {
            producer = null;
            current.close(timeout);
        }
    }

    @Override
    public void close() {
        close(sendTimeout);
    }
}
