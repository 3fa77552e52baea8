package dev.pipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Clock;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.pipeline.core.handler.Handler;
import dev.pipeline.core.handler.HandlerContext;
import dev.pipeline.core.handler.Handlers;

import dev.pipeline.core.kafka.KafkaClients.GroupProtocol;
import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.kafka.Topics;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RecordHeaders;
import dev.pipeline.core.message.Reply;
import dev.pipeline.core.message.ReplyStatus;
import dev.pipeline.core.message.Request;
import dev.pipeline.core.message.RequestId;
import dev.pipeline.testkit.KafkaBroker;
import dev.pipeline.testkit.WithKafka;

@WithKafka
class ProcessorIT {

    private static final int KEYS = 10;
    private static final int PER_KEY = 30;

    @Test
    void repliesExactlyOncePerRequestInKeyOrderAndDeadLettersGarbageWithoutStopping(KafkaBroker kafka) throws Exception {
        repliesOncePerRequestInKeyOrder(kafka, ProcessorConfig.Delivery.EXACTLY_ONCE);
    }

    @Test
    void atLeastOnceWithoutACrashAlsoRepliesOncePerRequestInKeyOrder(KafkaBroker kafka) throws Exception {
        repliesOncePerRequestInKeyOrder(kafka, ProcessorConfig.Delivery.AT_LEAST_ONCE);
    }

    private void repliesOncePerRequestInKeyOrder(KafkaBroker kafka, ProcessorConfig.Delivery delivery) throws Exception {
        Topics topics = new Topics(kafka.uniqueName("proc") + ".");
        KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), topics, 4, (short) 1, Map.of());
        ProcessorConfig config = config(settings, 2, 1, delivery);

        try (ProcessorService processor = ProcessorService.create(config)) {
            processor.start();
            List<Request> sent = new ArrayList<>();
            try (var producer = producer(kafka)) {
                for (int i = 0; i < PER_KEY; i++) {
                    for (int k = 0; k < KEYS; k++) {
                        Request request = new Request(1, RequestId.random(), "client-" + k, "echo", "key-" + k,
                                JsonNodeFactory.instance.objectNode().put("key", k).put("seq", i), Instant.now(), null);
                        sent.add(request);
                        producer.send(new ProducerRecord<>(topics.requests(), bytes(request.orderingKey()), Json.toBytes(request)));
                    }
                    if (i == PER_KEY / 2) {
                        // garbage in the middle of key-3's partition: the records behind it still run
                        producer.send(new ProducerRecord<>(topics.requests(), bytes("key-3"), bytes("{this is not json")));
                    }
                }
                producer.flush();
            }

            await().atMost(Duration.ofSeconds(90)).until(() -> kafka.records(topics.replies(), true).size() >= sent.size());
            List<ConsumerRecord<byte[], byte[]>> replyRecords = kafka.records(topics.replies(), true);
            List<Reply> replies = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : replyRecords) {
                replies.add(Json.readReply(record.value()));
            }

            // exactly one reply per request
            assertThat(replies).hasSize(sent.size());
            assertThat(replies.stream().map(Reply::requestId).distinct()).hasSize(sent.size());
            assertThat(replies.stream().map(Reply::requestId).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(sent.stream().map(Request::id).toList());
            assertThat(replies).allMatch(r -> r.status() == ReplyStatus.OK);

            // per-key order: replies of a key come out in the order its requests went in
            Map<Integer, List<Integer>> seqByKey = new HashMap<>();
            for (Reply reply : replies) {
                seqByKey.computeIfAbsent(reply.result().get("key").asInt(), k -> new ArrayList<>()).add(reply.result().get("seq").asInt());
            }
            List<Integer> inOrder = java.util.stream.IntStream.range(0, PER_KEY).boxed().toList();
            assertThat(seqByKey).hasSize(KEYS).allSatisfy((key, seqs) -> assertThat(seqs).containsExactlyElementsOf(inOrder));

            // reply records carry the request's key and id
            ConsumerRecord<byte[], byte[]> first = replyRecords.getFirst();
            Reply firstReply = Json.readReply(first.value());
            assertThat(new String(first.key(), StandardCharsets.UTF_8)).startsWith("key-");
            assertThat(header(first, RecordHeaders.REQUEST_ID)).isEqualTo(firstReply.requestId().value());

            // the garbage is in the DLQ, unchanged, with the reason
            List<ConsumerRecord<byte[], byte[]>> dead = kafka.records(topics.dlq(), true);
            assertThat(dead).hasSize(1);
            assertThat(new String(dead.getFirst().value(), StandardCharsets.UTF_8)).isEqualTo("{this is not json");
            assertThat(new String(dead.getFirst().key(), StandardCharsets.UTF_8)).isEqualTo("key-3");
            assertThat(header(dead.getFirst(), RecordHeaders.DLQ_ERROR_CLASS)).contains("JsonParseException");
            assertThat(header(dead.getFirst(), RecordHeaders.DLQ_SOURCE_TOPIC)).isEqualTo(topics.requests());
            assertThat(header(dead.getFirst(), RecordHeaders.DLQ_SOURCE_OFFSET)).matches("\\d+");
        }
    }

    @Test
    void everyStatusReachesTheRepliesTopic(KafkaBroker kafka) throws Exception {
        Topics topics = new Topics(kafka.uniqueName("status") + ".");
        KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), topics, 2, (short) 1, Map.of());
        Map<String, Request> requests = Map.of(
                "ok", request("echo", JsonNodeFactory.instance.textNode("x"), null),
                "error", request("fail", JsonNodeFactory.instance.objectNode().put("permanent", true), null),
                "expired", request("echo", null, Instant.now().minusSeconds(60)),
                "rejected", request("no-such-type", null, null));

        try (ProcessorService processor = ProcessorService.create(config(settings, 1)); var producer = producer(kafka)) {
            processor.start();
            for (Request request : requests.values()) {
                producer.send(new ProducerRecord<>(topics.requests(), bytes(request.orderingKey()), Json.toBytes(request)));
            }
            producer.flush();

            await().atMost(Duration.ofSeconds(60)).until(() -> kafka.records(topics.replies(), true).size() >= requests.size());
            Map<RequestId, ReplyStatus> statuses = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : kafka.records(topics.replies(), true)) {
                Reply reply = Json.readReply(record.value());
                statuses.put(reply.requestId(), reply.status());
            }
            requests.forEach((status, request) ->
                    assertThat(statuses.get(request.id())).as(status).isEqualTo(ReplyStatus.fromWire(status)));
        }
    }

    @Test
    void withConcurrencyKeysRunAtOnceAndEachKeyStaysInOrder(KafkaBroker kafka) throws Exception {
        Topics topics = new Topics(kafka.uniqueName("conc") + ".");
        KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), topics, 2, (short) 1, Map.of());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Handler tracked = new Handler() {
            @Override
            public String type() {
                return "tracked";
            }

            @Override
            public JsonNode handle(HandlerContext context) throws InterruptedException {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(5); // an I/O wait: lets other keys run meanwhile
                    return context.payload();
                } finally {
                    running.decrementAndGet();
                }
            }
        };
        int keys = 20;
        int perKey = 15;
        ProcessorConfig config = config(settings, 1, 16);

        try (ProcessorService processor = ProcessorService.create(config, Handlers.of(tracked), Clock.systemUTC());
             var producer = producer(kafka)) {
            for (int i = 0; i < perKey; i++) {
                for (int k = 0; k < keys; k++) {
                    Request request = new Request(1, RequestId.random(), "c", "tracked", "key-" + k,
                            JsonNodeFactory.instance.objectNode().put("key", k).put("seq", i), Instant.now(), null);
                    producer.send(new ProducerRecord<>(topics.requests(), bytes(request.orderingKey()), Json.toBytes(request)));
                }
            }
            producer.flush();
            processor.start();

            await().atMost(Duration.ofSeconds(60)).until(() -> kafka.records(topics.replies(), true).size() >= keys * perKey);
            Map<Integer, List<Integer>> seqByKey = new HashMap<>();
            List<RequestId> ids = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : kafka.records(topics.replies(), true)) {
                Reply reply = Json.readReply(record.value());
                ids.add(reply.requestId());
                seqByKey.computeIfAbsent(reply.result().get("key").asInt(), k -> new ArrayList<>()).add(reply.result().get("seq").asInt());
            }

            assertThat(ids).hasSize(keys * perKey).doesNotHaveDuplicates();
            List<Integer> inOrder = java.util.stream.IntStream.range(0, perKey).boxed().toList();
            assertThat(seqByKey).hasSize(keys).allSatisfy((key, seqs) -> assertThat(seqs).as("key %d", key).containsExactlyElementsOf(inOrder));
            // one worker ran several keys at once, never more than its concurrency
            assertThat(mostAtOnce.get()).isGreaterThan(1).isLessThanOrEqualTo(16);
        }
    }

    @Test
    void isHealthyOnlyOnceStartedAndUntilClosed(KafkaBroker kafka) {
        Topics topics = new Topics(kafka.uniqueName("health") + ".");
        KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), topics, 2, (short) 1, Map.of());
        ProcessorService processor = ProcessorService.create(config(settings, 2));
        try {
            assertThat(processor.healthy()).as("before start").isFalse();
            processor.start();
            assertThat(processor.healthy()).as("running").isTrue();
        } finally {
            processor.close();
        }
        assertThat(processor.healthy()).as("closed").isFalse();
    }

    private static ProcessorConfig config(KafkaSettings settings, int workers) {
        return config(settings, workers, 1);
    }

    private static ProcessorConfig config(KafkaSettings settings, int workers, int concurrency) {
        return config(settings, workers, concurrency, ProcessorConfig.Delivery.EXACTLY_ONCE);
    }

    private static ProcessorConfig config(KafkaSettings settings, int workers, int concurrency, ProcessorConfig.Delivery delivery) {
        return new ProcessorConfig("it-" + System.nanoTime(), workers, ProcessorConfig.Mode.GROUP, delivery,
                "processor-" + settings.topics().prefix() + "group",
                GroupProtocol.CONSUMER, 100, Duration.ofMillis(100), concurrency, 5, 3, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofSeconds(10), Path.of("no-plugins"), settings);
    }

    private static Request request(String type, com.fasterxml.jackson.databind.JsonNode payload, Instant deadline) {
        return new Request(1, RequestId.random(), "c", type, null, payload, Instant.now(), deadline);
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka) {
        Map<String, Object> config = kafka.clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
