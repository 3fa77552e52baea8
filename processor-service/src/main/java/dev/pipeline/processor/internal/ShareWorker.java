package dev.pipeline.processor.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor worker in queue mode: one share consumer (KIP-932) and one idempotent producer.
 * Any number of these share a topic's partitions record by record, more than there are
 * partitions. Each record is acknowledged on its own: ACCEPT once its reply (or dead letter) is
 * acknowledged by the broker, RELEASE when that write failed (the record is delivered again),
 * REJECT with a dead letter once it has been delivered {@code deliveryLimit} times. At least once:
 * a crash between writing a reply and acknowledging its record redelivers the record, and the
 * reply store keeps the first reply per request id. No order between records.
 *
 * <p>Threads: {@link #run()} on the worker's own thread owns both clients; {@link #stop()} from
 * any thread flips a flag and wakes the consumer.
 */
public final class ShareWorker implements WorkerLoop {

    private static final Logger log = LoggerFactory.getLogger(ShareWorker.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final String name;
    private final String requestsTopic;
    private final Supplier<KafkaShareConsumer<byte[], byte[]>> consumers;
    private final Supplier<KafkaProducer<byte[], byte[]>> producers;
    private final RequestProcessor processor;
    private final RecordFactory records;
    private final int deliveryLimit;
    private final Clock clock;
    private final Consumer<Throwable> onFatal;

    private volatile boolean stopping;
    private volatile KafkaShareConsumer<byte[], byte[]> consumer;

    /** @param deliveryLimit the share group's {@code share.delivery.count.limit}: the last delivery is rejected */
    public ShareWorker(String name, String requestsTopic, Supplier<KafkaShareConsumer<byte[], byte[]>> consumers,
                       Supplier<KafkaProducer<byte[], byte[]>> producers, RequestProcessor processor, RecordFactory records,
                       int deliveryLimit, Clock clock, Consumer<Throwable> onFatal) {
        this.name = name;
        this.requestsTopic = requestsTopic;
        this.consumers = consumers;
        this.producers = producers;
        this.processor = processor;
        this.records = records;
        this.deliveryLimit = deliveryLimit;
        this.clock = clock;
        this.onFatal = onFatal;
    }

    /** Asks the worker to stop after the records in hand; returns at once. Any thread. */
    @Override
    public void stop() {
        stopping = true;
        KafkaShareConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    @Override
    public void run() {
        try (KafkaProducer<byte[], byte[]> producer = producers.get()) {
            consumer = consumers.get();
            try {
                consumer.subscribe(List.of(requestsTopic));
                while (!stopping) {
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL_TIMEOUT);
                    if (!batch.isEmpty()) {
                        handle(batch, producer);
                    }
                }
            } finally {
                Thread.interrupted(); // an interrupted close would not send the last acknowledgements
                // unacknowledged records are released by close and delivered to another consumer
                consumer.close(Duration.ofSeconds(5));
            }
        } catch (WakeupException | InterruptException e) {
            // stop() was called
        } catch (InterruptedException e) {
            log.info("{}: interrupted; the records in hand are released for redelivery", name);
        } catch (RuntimeException | Error e) {
            log.error("{}: cannot go on", name, e);
            onFatal.accept(e);
        }
        log.debug("{}: stopped", name);
    }

    /** Processes a poll's records, writes their replies, then acknowledges each by its write's fate. */
    private void handle(ConsumerRecords<byte[], byte[]> batch, KafkaProducer<byte[], byte[]> producer) throws InterruptedException {
        List<ConsumerRecord<byte[], byte[]>> inOrder = new ArrayList<>();
        List<Future<RecordMetadata>> writes = new ArrayList<>();
        List<AcknowledgeType> onSuccess = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            int delivery = record.deliveryCount().map(Short::intValue).orElse(1);
            ProducerRecord<byte[], byte[]> out;
            AcknowledgeType ack;
            if (delivery >= deliveryLimit) {
                // it was handed out this often without an acknowledgement (crashes, timeouts): give up on it
                out = records.deadLetter(record, new Outcome.DeadLetter("DeliveryLimitReached",
                        "delivered " + delivery + " times without being acknowledged"), delivery, clock.instant());
                ack = AcknowledgeType.REJECT;
            } else {
                switch (processor.process(record.value(), name)) {
                    case Outcome.Replied replied -> {
                        out = records.reply(record, replied.reply());
                        ack = AcknowledgeType.ACCEPT;
                    }
                    case Outcome.DeadLetter deadLetter -> {
                        log.warn("{}: dead-lettering {}-{}@{}: {}: {}", name, record.topic(), record.partition(), record.offset(),
                                deadLetter.errorClass(), deadLetter.message());
                        out = records.deadLetter(record, deadLetter, delivery, clock.instant());
                        ack = AcknowledgeType.REJECT;
                    }
                }
            }
            inOrder.add(record);
            writes.add(producer.send(out));
            onSuccess.add(ack);
        }
        for (int i = 0; i < inOrder.size(); i++) {
            consumer.acknowledge(inOrder.get(i), written(writes.get(i)) ? onSuccess.get(i) : AcknowledgeType.RELEASE);
        }
        consumer.commitSync();
    }

    private boolean written(Future<RecordMetadata> write) throws InterruptedException {
        try {
            write.get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KafkaException) {
                log.warn("{}: a reply could not be written ({}); releasing its request for redelivery", name, e.getCause().toString());
                return false;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
