package dev.pipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.pipeline.core.handler.Handlers;
import dev.pipeline.core.handler.builtin.Echo;
import dev.pipeline.core.handler.builtin.Fib;
import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.message.Json;

/**
 * The HTTP answers that need no broker: every one of these is decided before anything is sent,
 * so the service runs against an address where no Kafka listens (and never creates topics).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProblemAnswersTest {

    private static final String TOKEN = "t0ken";
    private static final String AUTH = "Bearer " + TOKEN;

    private IngestService service;
    private Http http;

    @BeforeAll
    void start() {
        IngestConfig config = IngestConfig.defaults(KafkaSettings.local(ClosedPort.bootstrapServers()))
                .withPort(0)
                .withLimits(1024, 10)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .withAuthToken(TOKEN)
                .withCreateTopics(false);
        service = new IngestService(config, Handlers.of(new Echo(), new Fib()));
        service.start();
        http = new Http(service.port());
    }

    @AfterAll
    void stop() {
        service.close();
    }

    @Test
    void refusesAMissingTokenWith401AndAChallenge() {
        HttpResponse<String> response = http.post("/v1/requests", "application/json", "{}");

        assertProblem(response, 401, "unauthorized", "this route needs an Authorization: Bearer <token> header");
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    }

    @Test
    void refusesAWrongTokenWith401() {
        assertProblem(http.post("/v1/requests/batch", "application/x-ndjson", "{}", "Authorization", "Bearer nope"),
                401, "unauthorized", "the bearer token is not valid");
    }

    @Test
    void leavesHealthOpen() {
        HttpResponse<String> live = http.get("/health/live");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"live\"}");
    }

    @Test
    void answersNotReadyWhileKafkaIsAway() {
        HttpResponse<String> ready = http.get("/health/ready");

        assertProblem(ready, 503, "not-ready", null);
        assertThat(json(ready).get("detail").asText()).contains("Kafka at 127.0.0.1:");
        assertThat(ready.headers().firstValue("Retry-After")).contains("5");
    }

    @Test
    void refusesAWrongMediaTypeWith415() {
        assertProblem(http.post("/v1/requests", "text/plain", "{}", "Authorization", AUTH), 415, "unsupported-media-type",
                "Content-Type text/plain is not supported here; send application/json");
        assertProblem(http.post("/v1/requests/batch", "application/json", "{}", "Authorization", AUTH), 415,
                "unsupported-media-type", "Content-Type application/json is not supported here; send application/x-ndjson");
    }

    @Test
    void refusesABodyOverTheLimitWith413() {
        String body = "{\"client\": \"c\", \"type\": \"echo\", \"payload\": \"" + "x".repeat(2000) + "\"}";

        assertProblem(http.post("/v1/requests", "application/json", body, "Authorization", AUTH), 413, "body-too-large",
                "the body may be at most 1024 bytes; Content-Length is 2046 bytes");
    }

    @Test
    void refusesAChunkedBodyOverTheLimitWith413() {
        byte[] body = ("{\"client\": \"c\", \"type\": \"echo\", \"payload\": \"" + "x".repeat(4000) + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertProblem(http.postChunked("/v1/requests", "application/json", body, "Authorization", AUTH), 413,
                "body-too-large", "the body may be at most 1024 bytes; the body is longer");
    }

    @Test
    void refusesMalformedJsonWith400() {
        HttpResponse<String> response = http.post("/v1/requests", "application/json; charset=utf-8", "{\"client\": ",
                "Authorization", AUTH);

        assertProblem(response, 400, "malformed-json", null);
        assertThat(json(response).get("detail").asText()).startsWith("the body is not valid JSON: ");
    }

    @Test
    void refusesAnUnknownTypeWith422() {
        assertProblem(http.post("/v1/requests", "application/json", "{\"client\": \"c\", \"type\": \"zip\"}",
                "Authorization", AUTH), 422, "unknown-type", "type \"zip\" is not known; known types: echo, fib");
    }

    @Test
    void answersEveryBatchLineEvenWhenNoneIsValid() throws Exception {
        HttpResponse<String> response = http.post("/v1/requests/batch", "application/x-ndjson",
                "{\"type\": \"echo\"}\nnot json\n", "Authorization", AUTH);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/x-ndjson"));
        String[] lines = response.body().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(Json.mapper().readTree(lines[0]).get("line").asInt()).isEqualTo(1);
        assertThat(Json.mapper().readTree(lines[0]).get("status").asInt()).isEqualTo(422);
        assertThat(Json.mapper().readTree(lines[0]).at("/problem/detail").asText()).isEqualTo("client is required");
        assertThat(Json.mapper().readTree(lines[1]).get("status").asInt()).isEqualTo(400);
    }

    @Test
    void answersUnknownRoutesAndMethodsWithProblems() {
        assertProblem(http.get("/v2/nothing"), 404, "http-404", "Endpoint GET /v2/nothing not found");
        assertThat(http.get("/v1/requests", "Authorization", AUTH).statusCode()).isEqualTo(405);
        assertThat(http.get("/v1/requests", "Authorization", AUTH).headers().firstValue("Content-Type"))
                .contains("application/problem+json");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).isEqualTo("tag:pipeline.dev,2025:problem:" + type);
        assertThat(problem.get("title").asText()).isNotBlank();
        if (detail != null) {
            assertThat(problem.get("detail").asText()).isEqualTo(detail);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
