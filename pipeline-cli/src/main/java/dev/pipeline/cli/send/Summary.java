package dev.pipeline.cli.send;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.AbstractHistogram;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a send run did: the summary printed at the end and, as JSON, the {@code --report} file.
 *
 * @param mode             {@code ingest} or {@code direct}
 * @param client           the run's client id (lines of a file may name others)
 * @param sent             requests sent (valid input items)
 * @param accepted         requests ingest answered 202 for (or the broker acknowledged)
 * @param rejectedAtIngest final refusals by HTTP status, e.g. {@code "422": 3}
 * @param rejectionReasons one example reason per status
 * @param failed           requests that never got an answer (connection or Kafka failures)
 * @param failureReason    the first such failure, or null
 * @param retries          retried attempts (429/503 and connection failures)
 * @param invalidLines     input lines that were not requests (not sent)
 * @param waited           whether replies were awaited ({@code --no-wait} turns it off)
 * @param replies          replies seen by status: ok, error, expired, rejected
 * @param missing          accepted requests without a reply at the timeout (0 when not waited)
 * @param outOfOrder       replies seen before the reply of an earlier request of the same key; null
 *                         when not measured: only sends in a known order can be checked (with
 *                         {@code --direct}, or one request in flight)
 * @param throughput       rates over the run
 * @param latencyMs        submit to reply seen, in milliseconds
 */
@JsonPropertyOrder({"mode", "client", "sent", "accepted", "rejectedAtIngest", "rejectionReasons", "failed",
        "failureReason", "retries", "invalidLines", "waited", "replies", "missing", "outOfOrder", "throughput",
        "latencyMs"})
public record Summary(String mode, String client, long sent, long accepted, Map<String, Long> rejectedAtIngest,
                      Map<String, String> rejectionReasons, long failed,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String failureReason,
                      long retries, long invalidLines, boolean waited, Map<String, Long> replies, long missing,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Long outOfOrder,
                      Throughput throughput, Latency latencyMs) {

    public Summary {
        rejectedAtIngest = ordered(rejectedAtIngest);
        rejectionReasons = ordered(rejectionReasons);
        replies = ordered(replies);
    }

    /** An unmodifiable copy that keeps the given order, so the JSON report is stable. */
    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Replies seen for this run's requests, of any status. */
    public long replied() {
        return replies.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The command's exit code: 0 when every accepted request got its reply (or replies were not
     * awaited), 1 when replies are missing or requests could not be delivered at all.
     */
    public int exitCode() {
        return missing > 0 || failed > 0 ? 1 : 0;
    }

    /**
     * @param sendSeconds      from the first send to the last send's answer
     * @param sentPerSecond    {@code sent / sendSeconds}
     * @param replySeconds     from the first send to the last reply seen
     * @param repliesPerSecond {@code replies / replySeconds}
     */
    public record Throughput(double sendSeconds, double sentPerSecond, double replySeconds, double repliesPerSecond) {

        static Throughput of(long sent, long sendNanos, long replies, long replyNanos) {
            double sendSeconds = sendNanos / 1e9;
            double replySeconds = replyNanos / 1e9;
            return new Throughput(round(sendSeconds), round(sendSeconds > 0 ? sent / sendSeconds : 0),
                    round(replySeconds), round(replySeconds > 0 ? replies / replySeconds : 0));
        }
    }

    /** Percentiles of a latency histogram recorded in microseconds, in milliseconds. */
    @JsonPropertyOrder({"count", "p50", "p90", "p99", "p99.9", "max", "mean"})
    public record Latency(long count, double p50, double p90, double p99,
                          @JsonProperty("p99.9") double p999, double max, double mean) {

        static Latency ofMicros(AbstractHistogram micros) {
            if (micros.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0, 0);
            }
            return new Latency(micros.getTotalCount(),
                    millis(micros.getValueAtPercentile(50.0)),
                    millis(micros.getValueAtPercentile(90.0)),
                    millis(micros.getValueAtPercentile(99.0)),
                    millis(micros.getValueAtPercentile(99.9)),
                    millis(micros.getMaxValue()),
                    round(micros.getMean() / 1000.0));
        }

        private static double millis(long micros) {
            return round(micros / 1000.0);
        }
    }

    /** Three decimals: enough for milliseconds and rates, stable in JSON. */
    static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
