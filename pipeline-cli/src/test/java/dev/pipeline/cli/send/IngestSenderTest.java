package dev.pipeline.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.pipeline.core.message.RequestId;

/** How ingest's answers are read; the HTTP exchange itself is in SendHttpProtocolIT. */
class IngestSenderTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final RequestId ID = new RequestId("r-1");

    private final IngestSender sender = new IngestSender(null, new HttpEndpoint("ingest", URI.create("http://127.0.0.1:1"), null), 2);

    @Test
    void a202IsAcceptedUnderTheIdSent() {
        assertThat(decide(202, null, "{\"id\":\"r-1\",\"replyUrl\":\"http://x/v1/replies/r-1\"}", 0))
                .isEqualTo(new IngestSender.Decision.Done(new SendOutcome.Accepted(ID)));
    }

    @Test
    void overloadIsRetriedAfterRetryAfterWhileAttemptsRemainThenFailsTheRun() {
        assertThat(decide(429, "2", "", 0)).isEqualTo(new IngestSender.Decision.Retry(Duration.ofSeconds(2)));
        assertThat(decide(503, null, "", 1)).isEqualTo(new IngestSender.Decision.Retry(Duration.ofSeconds(1)));
        assertThat(decide(503, "1", "{\"title\":\"Service Unavailable\",\"detail\":\"Kafka is slow\"}", 2))
                .isEqualTo(new IngestSender.Decision.Done(new SendOutcome.Failed("ingest answered 503: Service Unavailable: Kafka is slow")));
    }

    @Test
    void aClientErrorIsRejectedWithTheProblemTitleAndDetailAndAServerErrorFailsTheRun() {
        assertThat(decide(422, null, "{\"type\":\"about:blank\",\"title\":\"Unprocessable Content\",\"status\":422,"
                + "\"detail\":\"unknown type nope\"}", 0))
                .isEqualTo(new IngestSender.Decision.Done(new SendOutcome.Rejected(422, "Unprocessable Content: unknown type nope")));
        assertThat(decide(500, null, "boom", 0))
                .isEqualTo(new IngestSender.Decision.Done(new SendOutcome.Failed("ingest answered 500: boom")));
        assertThat(decide(401, null, "", 0)).isInstanceOfSatisfying(IngestSender.Decision.Done.class,
                done -> assertThat(done.outcome()).isInstanceOf(SendOutcome.Failed.class));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDateWithinBounds() {
        assertThat(IngestSender.retryAfter(Optional.of("3"), NOW)).isEqualTo(Duration.ofSeconds(3));
        assertThat(IngestSender.retryAfter(Optional.of("0"), NOW)).isEqualTo(IngestSender.MIN_RETRY_AFTER);
        assertThat(IngestSender.retryAfter(Optional.of("3600"), NOW)).isEqualTo(IngestSender.MAX_RETRY_AFTER);
        assertThat(IngestSender.retryAfter(Optional.of("Tue, 01 Jan 2030 00:00:04 GMT"), NOW)).isEqualTo(Duration.ofSeconds(4));
        assertThat(IngestSender.retryAfter(Optional.of("soon"), NOW)).isEqualTo(Duration.ofSeconds(1));
        assertThat(IngestSender.retryAfter(Optional.empty(), NOW)).isEqualTo(Duration.ofSeconds(1));
    }

    private IngestSender.Decision decide(int status, String retryAfter, String body, int attempt) {
        return sender.onResponse(status, Optional.ofNullable(retryAfter), body.getBytes(StandardCharsets.UTF_8), ID, attempt, NOW);
    }
}
