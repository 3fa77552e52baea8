package dev.pipeline.cli.bench;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the summary lines Kafka 4.4's {@code ProducerPerformance} and {@code EndToEndLatency}
 * print on stdout. Pure: the child processes are run elsewhere.
 */
final class ToolOutput {

    /** {@code 200000 records sent, 73260.07 records/sec (13.97 MB/sec), 1042.11 ms avg latency, 1487.00 ms max latency, 1137 ms 50th, 1459 ms 95th, 1480 ms 99th, 1485 ms 99.9th.} */
    private static final Pattern PRODUCER_SUMMARY = Pattern.compile(
            "^(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, "
                    + "(\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99\\.9th\\.?\\s*$");
    /** {@code Percentiles: 50th = 1, 99th = 8, 99.9th = 25} */
    private static final Pattern LATENCY_PERCENTILES = Pattern.compile(
            "^Percentiles: 50th = (\\d+), 99th = (\\d+), 99\\.9th = (\\d+)\\s*$");
    /** {@code Avg latency: 1.7846 ms} */
    private static final Pattern LATENCY_AVERAGE = Pattern.compile("^Avg latency: ([\\d.]+) ms\\s*$");

    private ToolOutput() {
    }

    /** ProducerPerformance's final line (the periodic lines have no percentiles). */
    record ProducerPerf(long records, double recordsPerSecond, double mbPerSecond, double avgLatencyMs, double maxLatencyMs,
                        long p50Ms, long p95Ms, long p99Ms, long p999Ms) {
    }

    /** EndToEndLatency's summary: produce to consume, acks as asked, milliseconds. */
    record EndToEnd(double avgMs, long p50Ms, long p99Ms, long p999Ms) {
    }

    static Optional<ProducerPerf> producerPerf(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = PRODUCER_SUMMARY.matcher(lines.get(i).trim());
            if (m.matches()) {
                return Optional.of(new ProducerPerf(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
                        Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)),
                        Long.parseLong(m.group(6)), Long.parseLong(m.group(7)), Long.parseLong(m.group(8)), Long.parseLong(m.group(9))));
            }
        }
        return Optional.empty();
    }

    static Optional<EndToEnd> endToEnd(List<String> lines) {
        Double avg = null;
        for (String line : lines) {
            Matcher a = LATENCY_AVERAGE.matcher(line.trim());
            if (a.matches()) {
                avg = Double.parseDouble(a.group(1));
            }
            Matcher p = LATENCY_PERCENTILES.matcher(line.trim());
            if (p.matches() && avg != null) {
                return Optional.of(new EndToEnd(avg, Long.parseLong(p.group(1)), Long.parseLong(p.group(2)), Long.parseLong(p.group(3))));
            }
        }
        return Optional.empty();
    }
}
