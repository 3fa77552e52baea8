package dev.pipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.kafka.Topics;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RecordHeaders;
import dev.pipeline.core.message.Request;
import dev.pipeline.testkit.KafkaBroker;
import dev.pipeline.testkit.WithKafka;

/** The service in this JVM against a real broker, on a fresh topic prefix per test. */
@WithKafka
class IngestServiceIT {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private KafkaBroker kafka;
    private IngestConfig config;
    private IngestService service;
    private Http http;

    @BeforeEach
    void start(KafkaBroker kafka) {
        this.kafka = kafka;
        Topics topics = new Topics(kafka.uniqueName("t") + ".");
        config = IngestConfig.defaults(new KafkaSettings(kafka.bootstrapServers(), topics, 2, (short) 1, Map.of()))
                .withPort(0);
        service = new IngestService(config);
        service.start();
        http = new Http(service.port());
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void acceptsAValidRequestOnlyOnceItsRecordIsInTheTopic() throws IOException {
        Instant before = Instant.now();

        HttpResponse<String> response = http.post("/v1/requests", "application/json",
                "{\"client\": \"alice\", \"type\": \"echo\", \"key\": \"k1\", \"payload\": {\"x\": [1, \"two\"]}}",
                "traceparent", TRACEPARENT);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode answer = Json.mapper().readTree(response.body());
        String id = answer.get("id").asText();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(answer.get("replyUrl").asText()).isEqualTo("http://127.0.0.1:8081/v1/replies/" + id);
        assertThat(response.headers().firstValue("Location")).contains("http://127.0.0.1:8081/v1/replies/" + id);
        try (RequestsTopic topic = new RequestsTopic(kafka, config.kafka().topics().requests())) {
            // acknowledged before the answer: the record is there the moment 202 is
            assertThat(topic.size()).isEqualTo(1);
            ConsumerRecord<byte[], byte[]> record = topic.readAll(1).getFirst();
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("k1");
            assertThat(header(record, RecordHeaders.REQUEST_ID)).isEqualTo(id);
            assertThat(header(record, RecordHeaders.TRACEPARENT)).isEqualTo(TRACEPARENT);
            Request request = Json.readRequest(record.value());
            assertThat(request.v()).isEqualTo(1);
            assertThat(request.id().value()).isEqualTo(id);
            assertThat(request.client()).isEqualTo("alice");
            assertThat(request.type()).isEqualTo("echo");
            assertThat(request.key()).isEqualTo("k1");
            assertThat(request.payload().toString()).isEqualTo("{\"x\":[1,\"two\"]}");
            assertThat(request.submittedAt()).isBetween(before, Instant.now());
            assertThat(request.deadline()).isNull();
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).startsWith("{\"v\":1,\"id\":\"" + id + "\"");
        }
    }

    @Test
    void keepsAClientSuppliedIdAndKeysByClientWithoutAKey() throws IOException {
        HttpResponse<String> response = http.post("/v1/requests", "application/json",
                "{\"id\": \"order-7.retry:1\", \"client\": \"bob\", \"type\": \"fib\", \"payload\": 10,"
                        + " \"deadline\": \"2030-01-01T00:00:00Z\", \"unknown\": true}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(Json.mapper().readTree(response.body()).get("id").asText()).isEqualTo("order-7.retry:1");
        try (RequestsTopic topic = new RequestsTopic(kafka, config.kafka().topics().requests())) {
            ConsumerRecord<byte[], byte[]> record = topic.readAll(1).getFirst();
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("bob");
            assertThat(header(record, RecordHeaders.REQUEST_ID)).isEqualTo("order-7.retry:1");
            // no traceparent came in, so a new trace starts here
            assertThat(header(record, RecordHeaders.TRACEPARENT)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
            Request request = Json.readRequest(record.value());
            assertThat(request.id().value()).isEqualTo("order-7.retry:1");
            assertThat(request.deadline()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
            assertThat(request.payload().asInt()).isEqualTo(10);
        }
    }

    @Test
    void answersABatchLinePerLineAndWritesOnlyTheValidLines() throws IOException {
        String batch = """
                {"id": "b-1", "client": "c", "type": "echo", "payload": "one"}
                {"client": "c", "type": "nope"}

                {"id": "b-2", "client": "c", "type": "upper", "payload": "two"}
                {"client": "c", "type":
                """;

        HttpResponse<String> response = http.post("/v1/requests/batch", "application/x-ndjson", batch);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/x-ndjson"));
        List<JsonNode> results = response.body().lines().map(IngestServiceIT::json).toList();
        assertThat(results).extracting(r -> r.get("line").asInt()).containsExactly(1, 2, 4, 5);
        assertThat(results).extracting(r -> r.get("status").asInt()).containsExactly(202, 422, 202, 400);
        assertThat(results.get(0).get("id").asText()).isEqualTo("b-1");
        assertThat(results.get(0).get("replyUrl").asText()).isEqualTo("http://127.0.0.1:8081/v1/replies/b-1");
        assertThat(results.get(1).at("/problem/type").asText()).isEqualTo("tag:pipeline.dev,2025:problem:unknown-type");
        assertThat(results.get(2).get("id").asText()).isEqualTo("b-2");
        assertThat(results.get(3).at("/problem/status").asInt()).isEqualTo(400);
        try (RequestsTopic topic = new RequestsTopic(kafka, config.kafka().topics().requests())) {
            assertThat(topic.size()).isEqualTo(2);
            assertThat(topic.readAll(2)).extracting(record -> header(record, RecordHeaders.REQUEST_ID))
                    .containsExactlyInAnyOrder("b-1", "b-2");
        }
    }

    @Test
    void answersEveryBadInputWithItsProblemAndWritesNothing() throws IOException {
        String big = "{\"client\": \"c\", \"type\": \"echo\", \"payload\": \"" + "x".repeat(1 << 20) + "\"}";
        // fits the 1 MiB body limit, but as a record it is over the producer's max.request.size (1 MiB)
        String bigForKafka = "{\"client\": \"c\", \"type\": \"echo\", \"payload\": \"" + "x".repeat((1 << 20) - 60) + "\"}";
        List<BadInput> inputs = List.of(
                new BadInput("malformed JSON", "application/json", utf8("{\"client\": \"c\", \"type\": \"echo\""), 400, "malformed-json"),
                new BadInput("trailing garbage", "application/json", utf8("{\"client\": \"c\", \"type\": \"echo\"} x"), 400, "malformed-json"),
                new BadInput("not an object", "application/json", utf8("[{\"client\": \"c\", \"type\": \"echo\"}]"), 400, "malformed-json"),
                new BadInput("invalid UTF-8", "application/json",
                        "{\"client\": \"\u00e9\", \"type\": \"echo\"}".getBytes(StandardCharsets.ISO_8859_1), 400, "malformed-json"),
                new BadInput("oversized body", "application/json", utf8(big), 413, "body-too-large"),
                new BadInput("record too large for Kafka", "application/json", utf8(bigForKafka), 413, "body-too-large"),
                new BadInput("wrong media type", "text/plain", utf8("{\"client\": \"c\", \"type\": \"echo\"}"), 415, "unsupported-media-type"),
                new BadInput("no media type", null, utf8("{\"client\": \"c\", \"type\": \"echo\"}"), 415, "unsupported-media-type"),
                new BadInput("unknown type", "application/json", utf8("{\"client\": \"c\", \"type\": \"teleport\"}"), 422, "unknown-type"),
                new BadInput("missing type", "application/json", utf8("{\"client\": \"c\"}"), 422, "invalid-request"),
                new BadInput("missing client", "application/json", utf8("{\"type\": \"echo\"}"), 422, "invalid-request"),
                new BadInput("invalid id", "application/json", utf8("{\"id\": \"a/b\", \"client\": \"c\", \"type\": \"echo\"}"), 422, "invalid-request"),
                new BadInput("key not a string", "application/json", utf8("{\"client\": \"c\", \"type\": \"echo\", \"key\": 1}"), 422, "invalid-request"),
                new BadInput("deadline not an instant", "application/json",
                        utf8("{\"client\": \"c\", \"type\": \"echo\", \"deadline\": \"soon\"}"), 422, "invalid-request"),
                new BadInput("payload the handler rejects", "application/json",
                        utf8("{\"client\": \"c\", \"type\": \"fib\", \"payload\": \"ten\"}"), 422, "invalid-payload"));

        for (BadInput input : inputs) {
            HttpResponse<String> response = http.post("/v1/requests", input.contentType(), input.body());

            assertThat(response.statusCode()).as(input.name() + ": " + response.body()).isEqualTo(input.status());
            assertThat(response.headers().firstValue("Content-Type")).as(input.name()).contains("application/problem+json");
            JsonNode problem = json(response.body());
            assertThat(problem.get("type").asText()).as(input.name()).isEqualTo("tag:pipeline.dev,2025:problem:" + input.type());
            assertThat(problem.get("status").asInt()).as(input.name()).isEqualTo(input.status());
            assertThat(problem.get("detail").asText()).as(input.name()).isNotBlank();
        }

        try (RequestsTopic topic = new RequestsTopic(kafka, config.kafka().topics().requests())) {
            assertThat(topic.size()).isZero();
            // a valid request after them all is the only record: nothing bad was written before it
            HttpResponse<String> valid = http.post("/v1/requests", "application/json",
                    "{\"id\": \"the-only-one\", \"client\": \"c\", \"type\": \"echo\"}");
            assertThat(valid.statusCode()).isEqualTo(202);
            assertThat(topic.size()).isEqualTo(1);
            assertThat(header(topic.readAll(1).getFirst(), RecordHeaders.REQUEST_ID)).isEqualTo("the-only-one");
        }
    }

    @Test
    void isReadyWhenKafkaAnswersAndTheTopicsExist() {
        HttpResponse<String> ready = http.get("/health/ready");

        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}");
        assertThat(kafka.topics()).containsAll(config.kafka().topics().all());
    }

    @Test
    void acceptsARequestWithTheConfiguredBearerToken() {
        try (IngestService guarded = new IngestService(config.withAuthToken("s3cret"))) {
            guarded.start();
            Http guardedHttp = new Http(guarded.port());
            String body = "{\"client\": \"c\", \"type\": \"echo\"}";

            assertThat(guardedHttp.post("/v1/requests", "application/json", body).statusCode()).isEqualTo(401);
            assertThat(guardedHttp.post("/v1/requests", "application/json", body, "Authorization", "Bearer s3cret")
                    .statusCode()).isEqualTo(202);
        }
    }

    private record BadInput(String name, String contentType, byte[] body, int status, String type) {
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
