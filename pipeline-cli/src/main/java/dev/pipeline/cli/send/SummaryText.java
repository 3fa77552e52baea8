package dev.pipeline.cli.send;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** The summary as the few aligned lines {@code pipeline send} prints on stdout. */
public final class SummaryText {

    private SummaryText() {
    }

    public static String render(Summary summary) {
        StringBuilder text = new StringBuilder();
        Summary.Throughput rate = summary.throughput();
        line(text, "sent", String.format(Locale.ROOT, "%d requests in %.2f s (%.1f/s), %s, client %s",
                summary.sent(), rate.sendSeconds(), rate.sentPerSecond(), via(summary.mode()), summary.client()));
        line(text, "accepted", summary.accepted() + (summary.retries() > 0 ? " (" + summary.retries() + " retries)" : ""));
        if (!summary.rejectedAtIngest().isEmpty()) {
            StringJoiner rejected = new StringJoiner("; ");
            summary.rejectedAtIngest().forEach((status, count) -> rejected.add(
                    count + " with " + status + " (" + summary.rejectionReasons().getOrDefault(status, "") + ")"));
            line(text, "rejected", rejected.toString());
        }
        if (summary.failed() > 0) {
            line(text, "failed", summary.failed() + " never answered (" + summary.failureReason() + ")");
        }
        if (summary.invalidLines() > 0) {
            line(text, "invalid", summary.invalidLines() + " input lines skipped");
        }
        if (!summary.waited()) {
            line(text, "replies", "not awaited (--no-wait)");
            return text.toString();
        }
        line(text, "replies", String.format(Locale.ROOT, "%d in %.2f s (%.1f/s): %s", summary.replied(),
                rate.replySeconds(), rate.repliesPerSecond(), byStatus(summary.replies())));
        line(text, "missing", String.valueOf(summary.missing()));
        if (summary.outOfOrder() != null) {
            line(text, "order", summary.outOfOrder() == 0 ? "kept per key"
                    : summary.outOfOrder() + " replies seen before the reply of an earlier request of their key");
        }
        Summary.Latency latency = summary.latencyMs();
        line(text, "latency", latency.count() == 0 ? "no replies" : String.format(Locale.ROOT,
                "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms (submit to reply seen)",
                latency.p50(), latency.p90(), latency.p99(), latency.p999(), latency.max()));
        return text.toString();
    }

    private static String via(String mode) {
        return mode.equals("direct") ? "straight to Kafka" : "through ingest";
    }

    private static String byStatus(Map<String, Long> replies) {
        StringJoiner joiner = new StringJoiner(", ");
        replies.forEach((status, count) -> joiner.add(status + " " + count));
        return joiner.toString();
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "%-9s %s%n", label, value));
    }
}
