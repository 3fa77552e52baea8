package dev.pipeline.cli.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.kafka.KafkaClients;
import dev.pipeline.core.kafka.KafkaClients.GroupProtocol;
import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.kafka.TopicSetup;
import dev.pipeline.core.kafka.Topics;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RecordHeaders;
import dev.pipeline.core.message.Request;
import dev.pipeline.core.message.RequestId;
import dev.pipeline.processor.ProcessorConfig;
import dev.pipeline.processor.ProcessorConfig.Delivery;
import dev.pipeline.processor.ProcessorConfig.Mode;
import dev.pipeline.processor.ProcessorService;

/**
 * The pipeline's throughput with in-process {@link ProcessorService}s on fresh topics: start the
 * processors, wait until every instance holds partitions, send a warm-up batch and wait for its
 * replies (group joins, transactional-id init and JIT warm-up stay outside the timing), then
 * produce N requests straight to the requests topic and time from the first send until N more
 * replies are counted in the replies topic (read_committed).
 */
final class PipelineScenario {

    private static final Logger log = LoggerFactory.getLogger(PipelineScenario.class);
    private static final Duration STALL = Duration.ofSeconds(60);

    /**
     * What to run.
     *
     * @param name        the figure's name, also the topic prefix and group
     * @param partitions  partitions of the requests (and replies) topic
     * @param instances   processor instances (ProcessorService objects in this JVM)
     * @param workers     workers per instance
     * @param mode        group or share (queue mode)
     * @param delivery    group mode: exactly once or at least once
     * @param concurrency records of different keys a worker runs at once
     * @param type        handler, e.g. echo or sleep
     * @param payload     the handler's input
     * @param keys        distinct ordering keys, spread round-robin
     * @param warmup      requests sent and replied before timing starts
     * @param count       requests timed
     */
    record Spec(String name, int partitions, int instances, int workers, Mode mode, Delivery delivery, int concurrency,
                String type, JsonNode payload, int keys, int warmup, int count) {
    }

    private final String bootstrap;
    private final String runId;

    PipelineScenario(String bootstrap, String runId) {
        this.bootstrap = bootstrap;
        this.runId = runId;
    }

    Measurement run(Spec spec) throws InterruptedException {
        String prefix = "bench-" + runId + "-" + spec.name() + ".";
        KafkaSettings kafka = new KafkaSettings(bootstrap, new Topics(prefix), spec.partitions(), (short) 1, Map.of());
        KafkaClients clients = new KafkaClients(kafka, "bench");
        try (Admin admin = clients.admin()) {
            TopicSetup.ensure(admin, kafka, 30);
        }
        String group = "bench-" + runId + "-" + spec.name();
        List<ProcessorService> processors = new ArrayList<>();
        try (ReplyCounter replies = new ReplyCounter(clients, kafka.topics().replies(), spec.partitions()).start();
             KafkaProducer<byte[], byte[]> producer = clients.requestProducer(Duration.ofSeconds(30))) {
            for (int i = 0; i < spec.instances(); i++) {
                ProcessorService service = ProcessorService.create(config(spec, kafka, group, "bench-" + i));
                processors.add(service);
                service.start();
            }
            GroupReadiness.await(clients, group, spec.mode(), spec.instances() * spec.workers(), spec.partitions(), Duration.ofSeconds(60));
            produce(producer, kafka, spec, prepare(spec, spec.warmup()));
            replies.awaitAtLeast(spec.warmup(), STALL);
            long base = replies.count();
            List<ProducerRecord<byte[], byte[]>> timed = prepare(spec, spec.count());
            long start = System.nanoTime();
            produce(producer, kafka, spec, timed);
            long end = replies.awaitAtLeast(base + spec.count(), STALL);
            Measurement m = Measurement.of(spec.name(), spec.count(), end - start);
            log.info("{}: {} replies in {} s ({}/s)", spec.name(), m.records(), m.seconds(), m.recordsPerSecond());
            return m;
        } finally {
            for (ProcessorService service : processors) {
                try {
                    service.close();
                } catch (RuntimeException e) {
                    log.warn("closing a processor of {} failed: {}", spec.name(), e.getMessage());
                }
            }
        }
    }

    static ProcessorConfig config(Spec spec, KafkaSettings kafka, String group, String instanceId) {
        return new ProcessorConfig(instanceId, spec.workers(), spec.mode(), spec.delivery(), group, GroupProtocol.CONSUMER,
                2000, Duration.ofMillis(100), spec.concurrency(), 5, 3, Duration.ofMillis(100), Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(20), Path.of("bench-no-plugins"), kafka);
    }

    /** The records, built before the clock starts so JSON writing in this JVM stays out of the timing. */
    private static List<ProducerRecord<byte[], byte[]>> prepare(Spec spec, int count) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            String key = "k" + (i % spec.keys());
            Request request = new Request(Request.VERSION, RequestId.random(), "bench", spec.type(), key, spec.payload(), now, null);
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("", key.getBytes(StandardCharsets.UTF_8), Json.toBytes(request));
            record.headers().add(RecordHeaders.REQUEST_ID, request.id().value().getBytes(StandardCharsets.UTF_8));
            records.add(record);
        }
        return records;
    }

    private static void produce(KafkaProducer<byte[], byte[]> producer, KafkaSettings kafka, Spec spec,
                                List<ProducerRecord<byte[], byte[]>> records) {
        String topic = kafka.topics().requests();
        for (ProducerRecord<byte[], byte[]> r : records) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, r.key(), r.value(), r.headers());
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    log.warn("{}: a request was not written: {}", spec.name(), error.getMessage());
                }
            });
        }
        producer.flush();
    }

    /** Waits for a group to settle; a timeout is logged, not fatal: the warm-up batch still runs. */
    static final class GroupReadiness {

        private GroupReadiness() {
        }

        static void await(KafkaClients clients, String group, Mode mode, int members, int partitions, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            try (Admin admin = clients.admin()) {
                while (System.nanoTime() < deadline) {
                    if (ready(admin, group, mode, members, partitions)) {
                        return;
                    }
                    Thread.sleep(100);
                }
            }
            log.warn("group {} did not show {} members with partitions within {}", group, members, timeout);
        }

        private static boolean ready(Admin admin, String group, Mode mode, int members, int partitions) throws InterruptedException {
            try {
                if (mode == Mode.SHARE) {
                    var description = admin.describeShareGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS);
                    return description.members().size() >= members
                            && description.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
                }
                var description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS);
                // with more workers than partitions some members rightly hold none
                long holding = description.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
                return description.members().size() >= members && holding >= Math.min(members, partitions);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return false;
            }
        }
    }
}
