package dev.pipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.message.Json;

/**
 * Kafka is not there: the service runs against an address where nothing listens, with topic
 * creation off so that it starts (as where an operator manages topics). Every send then waits
 * the send timeout for metadata that never comes, which makes "a send under way" last as long
 * as the test needs it to.
 */
class KafkaUnreachableIT {

    private static final String VALID = "{\"client\": \"c\", \"type\": \"echo\"}";

    private IngestService service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void answers503WithRetryAfterWhenKafkaDoesNotTakeTheWrite() throws IOException {
        Http http = start(10, Duration.ofSeconds(1));

        HttpResponse<String> response = http.post("/v1/requests", "application/json", VALID);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.headers().firstValue("Retry-After")).contains("5");
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("tag:pipeline.dev,2025:problem:kafka-unavailable");
        assertThat(problem.get("detail").asText()).startsWith("Kafka did not acknowledge the request within 1000 ms")
                .contains("it may or may not be written: retry later with the same id");
        assertThat(service.inFlight()).isZero();
    }

    @Test
    void isNotReadyWhileKafkaIsUnreachable() {
        Http http = start(10, Duration.ofSeconds(1));

        HttpResponse<String> ready = http.get("/health/ready");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.headers().firstValue("Retry-After")).isPresent();
        assertThat(ready.body()).contains("not-ready").contains("does not answer");
    }

    @Test
    void answers429WhenTheInFlightBoundIsFull() throws Exception {
        Http http = start(1, Duration.ofSeconds(3));
        CompletableFuture<HttpResponse<String>> first = http.postAsync("/v1/requests", "application/json", VALID);
        await().atMost(Duration.ofSeconds(2)).until(() -> service.inFlight() == 1);

        HttpResponse<String> second = http.post("/v1/requests", "application/json", VALID);

        assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).contains("1");
        assertThat(Json.mapper().readTree(second.body()).get("detail").asText())
                .isEqualTo("more than 1 requests are waiting for Kafka; retry shortly");
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
    }

    @Test
    void batchStopsTryingKafkaAfterTheFirstLineItFailed() {
        Http http = start(10, Duration.ofSeconds(1));

        HttpResponse<String> response = http.post("/v1/requests/batch", "application/x-ndjson",
                VALID + "\n" + VALID + "\n" + VALID + "\n");

        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> lines = response.body().lines().map(KafkaUnreachableIT::json).toList();
        assertThat(lines).extracting(line -> line.get("status").asInt()).containsExactly(503, 503, 503);
        assertThat(lines.get(0).at("/problem/detail").asText()).startsWith("Kafka did not acknowledge the request");
        assertThat(lines.get(1).at("/problem/detail").asText()).isEqualTo(
                "not sent: Kafka failed an earlier line of this batch; retry later");
    }

    @Test
    void closeLetsARequestUnderWayFinishThenStopsListening() throws Exception {
        Http http = start(10, Duration.ofSeconds(2));
        CompletableFuture<HttpResponse<String>> underWay = http.postAsync("/v1/requests", "application/json", VALID);
        await().atMost(Duration.ofSeconds(2)).until(() -> service.inFlight() == 1);

        service.close();

        // answered, not cut off: the send timed out while close waited for it
        assertThat(underWay.get(1, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        assertThatThrownBy(() -> http.get("/health/live")).hasCauseInstanceOf(java.net.ConnectException.class);
    }

    private Http start(int maxInFlight, Duration sendTimeout) {
        IngestConfig config = IngestConfig.defaults(KafkaSettings.local(ClosedPort.bootstrapServers()))
                .withPort(0)
                .withLimits(IngestConfig.DEFAULT_MAX_BODY_BYTES, maxInFlight)
                .withTimeouts(sendTimeout, Duration.ofSeconds(1))
                .withCreateTopics(false);
        service = new IngestService(config);
        service.start();
        return new Http(service.port());
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
