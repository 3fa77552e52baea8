package dev.pipeline.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.pipeline.core.message.Json;

class ProblemTest {

    @Test
    void serialisesTheRfc9457MembersOnly() {
        String json = Json.toString(Problem.tooManyInFlight("more than 1 requests are waiting"));

        assertThat(json).isEqualTo("{\"type\":\"tag:pipeline.dev,2025:problem:too-many-in-flight\","
                + "\"title\":\"Too many requests in flight\",\"status\":429,\"detail\":\"more than 1 requests are waiting\"}");
    }

    @Test
    void retryableProblemsSayWhenToRetry() {
        assertThat(Problem.tooManyInFlight("x").retryAfterSeconds()).isEqualTo(1);
        assertThat(Problem.kafkaUnavailable("x").retryAfterSeconds()).isEqualTo(5);
        assertThat(Problem.malformed("x").retryAfterSeconds()).isNull();
    }
}
