package dev.pipeline.cli.bench;

import java.util.List;
import java.util.Map;

/**
 * The goals as ratios of figures measured in the same run. A figure that is missing from
 * the map (its scenario failed or was skipped) makes its goals {@code NOT_MEASURED}.
 */
final class Targets {

    static final String PRODUCER_PERF = "a.producer-performance.records-per-s";
    static final String E2E_P50 = "a.end-to-end-latency.p50-ms";
    static final String E2E_P99 = "a.end-to-end-latency.p99-ms";
    static final String EOS = "b.echo.exactly-once.records-per-s";
    static final String ALO = "b.echo.at-least-once.records-per-s";
    static final String SERIAL = "c.sleep5ms.serial.records-per-s";
    static final String CONCURRENCY_16 = "c.sleep5ms.concurrency16.records-per-s";
    static final String SHARE_16 = "c.sleep5ms.queue-mode16.records-per-s";
    static final String INSTANCES_1 = "d.sleep5ms.instances1.records-per-s";
    static final String INSTANCES_2 = "d.sleep5ms.instances2.records-per-s";
    static final String INSTANCES_4 = "d.sleep5ms.instances4.records-per-s";
    static final String LATENCY_RATE = "e.ingest.rate-per-s";
    static final String LATENCY_ACHIEVED = "e.ingest.achieved-rate-per-s";
    static final String LATENCY_P50 = "e.ingest.request-to-reply.p50-ms";
    static final String LATENCY_P99 = "e.ingest.request-to-reply.p99-ms";
    static final String IN_PROCESS = "f.in-process.echo.records-per-s";

    /** Every figure, in report order. */
    static final List<String> FIGURES = List.of(PRODUCER_PERF, E2E_P50, E2E_P99, EOS, ALO, SERIAL, CONCURRENCY_16, SHARE_16,
            INSTANCES_1, INSTANCES_2, INSTANCES_4, LATENCY_RATE, LATENCY_ACHIEVED, LATENCY_P50, LATENCY_P99, IN_PROCESS);

    /** The processor's default commit interval: a read_committed reader waits up to this per hop. */
    static final double COMMIT_INTERVAL_MS = 100;

    private Targets() {
    }

    static List<Target> evaluate(Map<String, Double> figures) {
        return List.of(
                Target.ratioAtLeast("EOS end to end / ProducerPerformance", get(figures, EOS), get(figures, PRODUCER_PERF), 0.5),
                Target.ratioAtLeast("EOS / at-least-once", get(figures, EOS), get(figures, ALO), 0.9),
                Target.ratioAtLeast("5 ms, 2 partitions: --concurrency 16 / serial", get(figures, CONCURRENCY_16), get(figures, SERIAL), 8),
                Target.ratioAtLeast("5 ms, 2 partitions: queue mode 16 / serial", get(figures, SHARE_16), get(figures, SERIAL), 8),
                Target.ratioAtLeast("I/O-bound: 4 instances / 1 instance", get(figures, INSTANCES_4), get(figures, INSTANCES_1), 3.2),
                Target.atMost("p99 request to reply (at the rate in e)", get(figures, LATENCY_P99),
                        COMMIT_INTERVAL_MS + 4 * get(figures, E2E_P99), "ms"));
    }

    /** No goal, for reference: what durability costs against the in-process queues. */
    static double durabilityRatio(Map<String, Double> figures) {
        double inProcess = get(figures, IN_PROCESS);
        return inProcess > 0 ? get(figures, EOS) / inProcess : Double.NaN;
    }

    private static double get(Map<String, Double> figures, String name) {
        Double value = figures.get(name);
        return value == null ? Double.NaN : value;
    }
}
