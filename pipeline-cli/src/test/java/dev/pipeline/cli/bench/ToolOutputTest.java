package dev.pipeline.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ToolOutputTest {

    @Test
    void readsTheFinalLineOfProducerPerformanceAndSkipsTheRest() {
        List<String> lines = List.of(
                "Option --producer-props has been deprecated and will be removed in a future version.",
                "356001 records sent, 71200.2 records/sec (13.58 MB/sec), 1100.3 ms avg latency, 1490.0 ms max latency.",
                "200000 records sent, 73260.073260 records/sec (13.97 MB/sec), 1042.11 ms avg latency, 1487.00 ms max latency, "
                        + "1137 ms 50th, 1459 ms 95th, 1480 ms 99th, 1485 ms 99.9th.");

        ToolOutput.ProducerPerf perf = ToolOutput.producerPerf(lines).orElseThrow();

        assertThat(perf.records()).isEqualTo(200_000);
        assertThat(perf.recordsPerSecond()).isEqualTo(73260.073260);
        assertThat(perf.mbPerSecond()).isEqualTo(13.97);
        assertThat(perf.p50Ms()).isEqualTo(1137);
        assertThat(perf.p99Ms()).isEqualTo(1480);
        assertThat(perf.p999Ms()).isEqualTo(1485);
    }

    @Test
    void findsNoProducerSummaryInOtherOutput() {
        assertThat(ToolOutput.producerPerf(List.of("Exception in thread \"main\" ..."))).isEmpty();
    }

    @Test
    void readsEndToEndLatencyAverageAndPercentiles() {
        List<String> lines = List.of(
                "Topic \"e2e\" does not exist. Will create topic with 1 partition(s) and replication factor = 1",
                "0\t97.785108",
                "1000\t1.020131",
                "Avg latency: 1.7846 ms",
                "Percentiles: 50th = 1, 99th = 8, 99.9th = 25");

        ToolOutput.EndToEnd e2e = ToolOutput.endToEnd(lines).orElseThrow();

        assertThat(e2e.avgMs()).isEqualTo(1.7846);
        assertThat(e2e.p50Ms()).isEqualTo(1);
        assertThat(e2e.p99Ms()).isEqualTo(8);
        assertThat(e2e.p999Ms()).isEqualTo(25);
    }

    @Test
    void needsTheAverageBeforeThePercentiles() {
        assertThat(ToolOutput.endToEnd(List.of("Percentiles: 50th = 1, 99th = 8, 99.9th = 25"))).isEmpty();
    }
}
