package dev.pipeline.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.ReplyStatus;

class SummaryTest {

    private static final long START = TimeUnit.SECONDS.toNanos(100);

    @Test
    void percentilesComeFromTheHistogramInMilliseconds() {
        Stats stats = new Stats();
        stats.started(START);
        // latencies 1..1000 ms, one each
        for (int ms = 1; ms <= 1000; ms++) {
            stats.sent();
            stats.accepted();
            stats.replied(ReplyStatus.OK, ms * 1000L, START + TimeUnit.MILLISECONDS.toNanos(ms));
        }
        stats.sendsDone(START + TimeUnit.MILLISECONDS.toNanos(500));

        Summary summary = stats.summary("ingest", "cli-1", 0, true, 0, false, START + TimeUnit.SECONDS.toNanos(2));

        Summary.Latency latency = summary.latencyMs();
        assertThat(latency.count()).isEqualTo(1000);
        // 3 significant digits: within 0.1 % of the exact values
        assertThat(latency.p50()).isBetween(499.5, 500.6);
        assertThat(latency.p90()).isBetween(899.0, 901.0);
        assertThat(latency.p99()).isBetween(989.0, 991.0);
        assertThat(latency.p999()).isBetween(998.5, 1000.6);
        assertThat(latency.max()).isBetween(999.5, 1000.6);
        assertThat(latency.mean()).isBetween(500.0, 501.0);
        assertThat(summary.throughput().sendSeconds()).isEqualTo(0.5);
        assertThat(summary.throughput().sentPerSecond()).isEqualTo(2000.0);
        assertThat(summary.throughput().replySeconds()).isEqualTo(1.0);
        assertThat(summary.throughput().repliesPerSecond()).isEqualTo(1000.0);
    }

    @Test
    void countsEveryOutcomeAndWritesThemAsJson() throws Exception {
        Stats stats = new Stats();
        stats.started(START);
        for (int i = 0; i < 6; i++) {
            stats.sent();
        }
        stats.accepted();
        stats.accepted();
        stats.accepted();
        stats.rejected(422, "Unprocessable Content: payload must be an integer from 0 to 40");
        stats.rejected(422, "another reason, not kept");
        stats.failed("ingest at http://127.0.0.1:1: connection refused");
        stats.invalidLine();
        stats.replied(ReplyStatus.OK, 2_000, START + 1);
        stats.replied(ReplyStatus.EXPIRED, 3_000, START + 2);
        stats.outOfOrder();

        Summary summary = stats.summary("direct", "cli-1", 4, true, 1, true, START + TimeUnit.SECONDS.toNanos(1));
        JsonNode json = Json.mapper().readTree(Json.mapper().writeValueAsBytes(summary));

        assertThat(json.path("mode").asText()).isEqualTo("direct");
        assertThat(json.path("client").asText()).isEqualTo("cli-1");
        assertThat(json.path("sent").asLong()).isEqualTo(6);
        assertThat(json.path("accepted").asLong()).isEqualTo(3);
        assertThat(json.path("rejectedAtIngest").toString()).isEqualTo("{\"422\":2}");
        assertThat(json.path("rejectionReasons").path("422").asText()).startsWith("Unprocessable Content: payload");
        assertThat(json.path("failed").asLong()).isEqualTo(1);
        assertThat(json.path("failureReason").asText()).contains("connection refused");
        assertThat(json.path("retries").asLong()).isEqualTo(4);
        assertThat(json.path("invalidLines").asLong()).isEqualTo(1);
        assertThat(json.path("replies").toString()).isEqualTo("{\"ok\":1,\"error\":0,\"expired\":1,\"rejected\":0}");
        assertThat(json.path("missing").asLong()).isEqualTo(1);
        assertThat(json.path("outOfOrder").asLong()).isEqualTo(1);
        assertThat(json.path("latencyMs").path("count").asLong()).isEqualTo(2);
        assertThat(json.path("latencyMs").path("p99.9").asDouble()).isBetween(2.99, 3.01);
        assertThat(json.path("throughput").path("sentPerSecond").asDouble()).isEqualTo(6.0);
        assertThat(json.has("exitCode")).as("not part of the report").isFalse();
        assertThat(summary.replied()).isEqualTo(2);
    }

    @Test
    void perKeyOrderIsReportedOnlyWhenTheSendOrderIsKnown() throws Exception {
        Stats stats = new Stats();
        stats.replied(ReplyStatus.OK, 1_000, START);

        Summary known = stats.summary("direct", "c", 0, true, 0, true, START);
        Summary unknown = stats.summary("ingest", "c", 0, true, 0, false, START);

        assertThat(known.outOfOrder()).isZero();
        assertThat(SummaryText.render(known)).contains("order     kept per key");
        assertThat(unknown.outOfOrder()).isNull();
        assertThat(SummaryText.render(unknown)).doesNotContain("order");
        assertThat(Json.mapper().readTree(Json.mapper().writeValueAsBytes(unknown)).has("outOfOrder")).isFalse();
    }

    @Test
    void exitCodeIsZeroOnlyWhenNothingIsMissingOrUndelivered() {
        assertThat(summary(0, 0, true).exitCode()).isZero();
        assertThat(summary(1, 0, true).exitCode()).isEqualTo(1);
        assertThat(summary(0, 1, true).exitCode()).isEqualTo(1);
        assertThat(summary(0, 0, false).exitCode()).isZero();
    }

    @Test
    void theTextSummaryNamesCountsRepliesAndPercentiles() {
        Stats stats = new Stats();
        stats.started(START);
        stats.sent();
        stats.sent();
        stats.accepted();
        stats.rejected(422, "Unprocessable Content: unknown type nope");
        stats.replied(ReplyStatus.OK, 1_500, START + TimeUnit.MILLISECONDS.toNanos(250));
        stats.sendsDone(START + TimeUnit.MILLISECONDS.toNanos(100));

        String text = SummaryText.render(stats.summary("ingest", "cli-9", 0, true, 0, false, START + TimeUnit.SECONDS.toNanos(1)));

        assertThat(text.lines()).containsExactly(
                "sent      2 requests in 0.10 s (20.0/s), through ingest, client cli-9",
                "accepted  1",
                "rejected  1 with 422 (Unprocessable Content: unknown type nope)",
                "replies   1 in 0.25 s (4.0/s): ok 1, error 0, expired 0, rejected 0",
                "missing   0",
                "latency   p50 1.5 ms, p90 1.5 ms, p99 1.5 ms, p99.9 1.5 ms, max 1.5 ms (submit to reply seen)");
    }

    @Test
    void withoutWaitingTheTextSaysRepliesWereNotAwaited() {
        Stats stats = new Stats();
        stats.sent();
        stats.accepted();

        String text = SummaryText.render(stats.summary("direct", "cli-9", 0, false, 0, true, START));

        assertThat(text).contains("straight to Kafka").contains("replies   not awaited (--no-wait)")
                .doesNotContain("latency");
    }

    private static Summary summary(long missing, long failed, boolean waited) {
        Stats stats = new Stats();
        for (long i = 0; i < failed; i++) {
            stats.failed("down");
        }
        return stats.summary("ingest", "c", 0, waited, missing, false, START);
    }
}
