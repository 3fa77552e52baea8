package dev.pipeline.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Kafka's own benchmark tools (kafka-tools) as child JVMs with this JVM's java, class path and
 * kafka-clients flags, so they measure the same broker from a JVM of their own, as a user would.
 */
final class KafkaTools {

    private static final long TIMEOUT_MINUTES = 5;

    private KafkaTools() {
    }

    /** ProducerPerformance: 200-byte records (or {@code recordSize}), acks=all, linger.ms=5, no throttle. */
    static ToolOutput.ProducerPerf producerPerformance(String bootstrap, String topic, long records, int recordSize) {
        List<String> lines = run("org.apache.kafka.tools.ProducerPerformance", List.of(
                "--topic", topic, "--num-records", String.valueOf(records), "--record-size", String.valueOf(recordSize),
                "--throughput", "-1",
                "--bootstrap-server", bootstrap,
                // one --command-property takes every key=value after it; repeating it keeps only the last
                "--command-property", "acks=all", "linger.ms=5"));
        return ToolOutput.producerPerf(lines).orElseThrow(() -> new IllegalStateException(
                "ProducerPerformance printed no summary line:\n" + String.join("\n", lines)));
    }

    /** EndToEndLatency: one record at a time, produce (acks=all) to consume, 200 bytes. */
    static ToolOutput.EndToEnd endToEndLatency(String bootstrap, String topic, long records, int recordSize) {
        List<String> lines = run("org.apache.kafka.tools.EndToEndLatency", List.of(
                "--bootstrap-server", bootstrap, "--topic", topic, "--num-records", String.valueOf(records),
                "--producer-acks", "all", "--record-size", String.valueOf(recordSize)));
        return ToolOutput.endToEnd(lines).orElseThrow(() -> new IllegalStateException(
                "EndToEndLatency printed no percentiles:\n" + String.join("\n", lines)));
    }

    /** The tool's stdout and stderr lines; fails on a non-zero exit or after 5 minutes. */
    private static List<String> run(String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // kafka-clients on JDK 24+: the same flags this JVM was given, nothing else (no agents, heap)
            if (arg.startsWith("--sun-misc-unsafe-memory-access") || arg.startsWith("--enable-native-access")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        List<String> lines = new ArrayList<>();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            }
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(mainClass + " did not finish within " + TIMEOUT_MINUTES + " minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(mainClass + " exited with " + process.exitValue() + ":\n" + String.join("\n", lines));
            }
            return lines;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + mainClass + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + mainClass, e);
        }
    }
}
