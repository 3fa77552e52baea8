package dev.pipeline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.kafka.Topics;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;
import dev.pipeline.core.message.Request;
import dev.pipeline.testkit.KafkaBroker;
import dev.pipeline.testkit.WithKafka;

/**
 * The pipeline as users run it: ingest, two processors and the reply service as separate OS
 * processes, on a real broker, judged from what is in the topics and the store.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineEndToEndIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private KafkaBroker kafka;
    private Topics topics;
    private Services services;

    @BeforeAll
    void startThePipeline(KafkaBroker kafka, @TempDir Path workDir) {
        this.kafka = kafka;
        this.topics = new Topics(kafka.uniqueName("e2e") + ".");
        this.services = new Services(kafka, topics, workDir);
        services.startReply();
        services.startProcessor("processor-1", 2);
        services.startProcessor("processor-2", 2);
        services.startIngest();
    }

    @AfterAll
    void stopThePipeline() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void fiveThousandRequestsOverFiftyKeysGetExactlyOneReplyEachInKeyOrder() throws Exception {
        List<String> ids = submit("order", 5_000, 50, "echo", "\"x\"");

        awaitReplies(ids);

        // exactly one committed reply per request in the replies topic
        List<ConsumerRecord<byte[], byte[]>> replies = kafka.records(topics.replies(), true);
        List<String> replyIds = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : replies) {
            Reply reply = Json.readReply(record.value());
            if (reply.client().equals("order")) {
                replyIds.add(reply.requestId().value());
            }
        }
        assertThat(replyIds).hasSize(5_000).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        // exactly one row per request in the store
        assertThat(storeRows("order")).isEqualTo(5_000);
        // per key, the replies come in the order the requests were written
        assertThat(idsByKey(topics.replies(), "order", true)).isEqualTo(idsByKey(topics.requests(), "order", false));
    }

    @Test
    void aThirdProcessorStartedMidRunJoinsAndTakesPartitions() throws Exception {
        // sleep-handler requests keep the two processors busy for a while
        List<String> first = submit("scale", 1_500, 60, "sleep", "5");
        services.startProcessor("processor-3", 2);
        List<String> second = submit("scale", 1_500, 60, "sleep", "5");
        List<String> ids = new ArrayList<>(first);
        ids.addAll(second);

        awaitReplies(ids);

        Map<String, Integer> repliesPerRequest = new LinkedHashMap<>();
        Set<String> processors = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.records(topics.replies(), true)) {
            Reply reply = Json.readReply(record.value());
            if (reply.client().equals("scale")) {
                repliesPerRequest.merge(reply.requestId().value(), 1, Integer::sum);
                processors.add(reply.processor().substring(0, reply.processor().indexOf('/')));
            }
        }
        assertThat(repliesPerRequest).hasSize(3_000).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        assertThat(processors).contains("processor-3");
        assertThat(storeRows("scale")).isEqualTo(3_000);
    }

    @Test
    void everyBadInputGetsItsStatusAndAProblemAndNothingReachesTheRequestsTopic() throws Exception {
        long before = endOffsetSum(topics.requests());
        String url = services.ingestUrl() + "/v1/requests";

        assertProblem(post(url, "application/json", "{\"client\": \"bad\", \"type\": "), 400);
        // the client is still writing when the server has decided: it must still get to read the 413
        assertProblem(post(url, "application/json", "{\"client\":\"bad\",\"type\":\"echo\",\"payload\":\""
                + "x".repeat(2 * 1024 * 1024) + "\"}"), 413);
        assertProblem(post(url, "text/plain", "{\"client\":\"bad\",\"type\":\"echo\"}"), 415);
        assertProblem(post(url, "application/json", "{\"client\":\"bad\",\"type\":\"no-such-type\"}"), 422);
        assertProblem(post(url, "application/json", "{\"client\":\"bad\"}"), 422);
        assertProblem(post(url, "application/json", "{\"type\":\"echo\"}"), 422);

        // a good request afterwards is accepted, so the bad ones were judged, not the service down
        HttpResponse<String> good = post(url, "application/json", "{\"client\":\"good\",\"type\":\"echo\",\"payload\":1}");
        assertThat(good.statusCode()).isEqualTo(202);
        assertThat(endOffsetSum(topics.requests())).isEqualTo(before + 1);
    }

    @Test
    void aGarbageRecordOnTheRequestsTopicGoesToTheDlqAndTheRecordsBehindItAreProcessed() throws Exception {
        String key = "garbage-key";
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            producer.send(record(topics.requests(), key, "\u0000\u0001 definitely not a request")).get();
            for (int i = 0; i < 5; i++) {
                Request request = new Request(1, dev.pipeline.core.message.RequestId.random(), "garbage", "upper", key,
                        Json.mapper().getNodeFactory().textNode("after-" + i), java.time.Instant.now(), null);
                ids.add(request.id().value());
                producer.send(new ProducerRecord<>(topics.requests(), key.getBytes(StandardCharsets.UTF_8), Json.toBytes(request))).get();
            }
        }

        awaitReplies(ids);

        List<ConsumerRecord<byte[], byte[]>> dead = kafka.records(topics.dlq(), true).stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(key)).toList();
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.getFirst().value(), StandardCharsets.UTF_8)).isEqualTo("\u0000\u0001 definitely not a request");
        assertThat(header(dead.getFirst(), "dlq.error.class")).isNotBlank();
        assertThat(header(dead.getFirst(), "dlq.error.message")).isNotBlank();
        assertThat(header(dead.getFirst(), "dlq.source.topic")).isEqualTo(topics.requests());
    }

    private void assertProblem(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
    }

    private HttpResponse<String> post(String url, String contentType, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long endOffsetSum(String topic) {
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(kafka.clientConfig(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private List<String> submit(String client, int count, int keys, String type, String payload) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        int batch = 500;
        for (int start = 0; start < count; start += batch) {
            StringBuilder body = new StringBuilder();
            for (int i = start; i < Math.min(count, start + batch); i++) {
                body.append("{\"client\":\"").append(client).append("\",\"key\":\"k-").append(i % keys)
                        .append("\",\"type\":\"").append(type).append("\",\"payload\":").append(payload).append("}\n");
            }
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(services.ingestUrl() + "/v1/requests/batch"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            for (String line : response.body().split("\n")) {
                JsonNode result = Json.mapper().readTree(line);
                assertThat(result.get("status").asInt()).as(line).isEqualTo(202);
                ids.add(result.get("id").asText());
            }
        }
        return ids;
    }

    private void awaitReplies(List<String> ids) {
        Set<String> wanted = new HashSet<>(ids);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Set<String> seen = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> record : kafka.records(topics.replies(), true)) {
                seen.add(Json.readReply(record.value()).requestId().value());
            }
            return seen.containsAll(wanted);
        });
    }

    /** Request ids per record key, in topic order, of one client's records. */
    private Map<String, List<String>> idsByKey(String topic, String client, boolean replies) throws IOException {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.records(topic, true)) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            String recordClient;
            String id;
            if (replies) {
                Reply reply = Json.readReply(record.value());
                recordClient = reply.client();
                id = reply.requestId().value();
            } else {
                Request request = Json.readRequest(record.value());
                recordClient = request.client();
                id = request.id().value();
            }
            if (recordClient.equals(client)) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
            }
        }
        return byKey;
    }

    private long storeRows(String client) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + services.replyStore());
             var statement = db.prepareStatement("SELECT COUNT(*) FROM replies WHERE client = ?")) {
            statement.setString(1, client);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(kafka.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }
}
