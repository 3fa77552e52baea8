package dev.pipeline.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.pipeline.core.message.Json;
import dev.pipeline.kafka.embedded.EmbeddedKafka;
import dev.pipeline.processor.ProcessorConfig.Delivery;
import dev.pipeline.processor.ProcessorConfig.Mode;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./pipeline bench}: on one broker in one run, Kafka's own tools as the baseline, then the
 * pipeline's scenarios (a)-(f) of the issue, printed beside their goals as ratios and written as
 * JSON. Each scenario runs on fresh topics; a failed scenario is reported and the others go on.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures Kafka's own tools and the pipeline on one broker; prints ratios against the goals and writes JSON.")
public final class BenchCommand implements Callable<Integer> {

    private static final int RECORD_SIZE = 200;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Use this broker instead of starting an embedded one.")
    private String bootstrap;

    @Option(names = "--quick", description = "Small counts and 200 requests/s in (e): a few minutes on 2 cores.")
    private boolean quick;

    @Option(names = "--report", paramLabel = "FILE", defaultValue = "bench.json", description = "JSON report (default: ${DEFAULT-VALUE}).")
    private Path report;

    @Option(names = "--profile", paramLabel = "FILE.jfr", description = "Record scenario (b) exactly-once with JDK Flight Recorder into this file.")
    private Path profile;

    @Option(names = "--latency-rate", paramLabel = "N", description = "Requests per second in (e) (default: 200 with --quick, else 1000).")
    private Double latencyRate;

    @Option(names = "--only", paramLabel = "a|b|c|d|e|f", split = ",", description = "Run only these scenarios (default: all).")
    private List<String> only;

    private final Map<String, Double> figures = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();
    private final Map<String, Object> details = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Sizes sizes = quick ? Sizes.QUICK : Sizes.FULL;
        String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path workDir = Files.createTempDirectory("pipeline-bench-");
        Instant started = Instant.now();
        EmbeddedKafka broker = null;
        try {
            String servers = bootstrap;
            if (servers == null) {
                broker = EmbeddedKafka.builder().dataDir(workDir.resolve("kafka"))
                        // faster group joins and rebalances: the runs are short
                        .property("group.consumer.heartbeat.interval.ms", "500")
                        .property("group.consumer.min.heartbeat.interval.ms", "500")
                        .property("group.share.heartbeat.interval.ms", "500")
                        .property("group.share.min.heartbeat.interval.ms", "500")
                        .build().start();
                servers = broker.bootstrapServers();
            }
            out.printf("bench %s on %s (%s), run %s%n", quick ? "--quick" : "(full)", servers, bootstrap == null ? "embedded broker" : "external", runId);
            runScenarios(out, servers, runId, workDir, sizes);
        } finally {
            if (broker != null) {
                broker.close();
            }
            if (errors.isEmpty()) {
                deleteRecursively(workDir); // broker data and the stack's log: up to ~100 MB per run
            } else {
                out.println("kept " + workDir + " (broker data, stack.log) to look into the failures");
            }
        }
        List<Target> targets = Targets.evaluate(figures);
        BenchText.print(out, figures, targets, Targets.durabilityRatio(figures), errors);
        writeReport(sizes, started, targets);
        out.println("report written to " + report.toAbsolutePath());
        return 0;
    }

    private void runScenarios(PrintStream out, String servers, String runId, Path workDir, Sizes sizes) {
        JsonNode echoPayload = TextNode.valueOf("x".repeat(RECORD_SIZE));
        JsonNode sleep5 = IntNode.valueOf(5);
        PipelineScenario pipeline = new PipelineScenario(servers, runId);
        scenario(out, "a", "ProducerPerformance", () -> {
            var pp = KafkaTools.producerPerformance(servers, "bench-" + runId + "-pp", sizes.producerPerfRecords(), RECORD_SIZE);
            details.put("a.producer-performance", pp);
            figures.put(Targets.PRODUCER_PERF, pp.recordsPerSecond());
        });
        scenario(out, "a", "EndToEndLatency", () -> {
            var e2e = KafkaTools.endToEndLatency(servers, "bench-" + runId + "-e2e", sizes.endToEndRecords(), RECORD_SIZE);
            details.put("a.end-to-end-latency", e2e);
            figures.put(Targets.E2E_P50, (double) e2e.p50Ms());
            figures.put(Targets.E2E_P99, (double) e2e.p99Ms());
        });
        int warm = Math.max(500, sizes.echoRecords() / 20);
        scenario(out, "b", "echo exactly-once", () -> profiled(() -> throughput(pipeline, Targets.EOS,
                new PipelineScenario.Spec("b-eos", 12, 1, 2, Mode.GROUP, Delivery.EXACTLY_ONCE, 1, "echo", echoPayload, 1000, warm, sizes.echoRecords()))));
        scenario(out, "b", "echo at-least-once", () -> throughput(pipeline, Targets.ALO,
                new PipelineScenario.Spec("b-alo", 12, 1, 2, Mode.GROUP, Delivery.AT_LEAST_ONCE, 1, "echo", echoPayload, 1000, warm, sizes.echoRecords())));
        scenario(out, "c", "sleep 5 ms serial", () -> throughput(pipeline, Targets.SERIAL,
                new PipelineScenario.Spec("c-serial", 2, 1, 1, Mode.GROUP, Delivery.EXACTLY_ONCE, 1, "sleep", sleep5, 1000, 100, sizes.sleepSerialRecords())));
        scenario(out, "c", "sleep 5 ms --concurrency 16", () -> throughput(pipeline, Targets.CONCURRENCY_16,
                new PipelineScenario.Spec("c-conc16", 2, 1, 1, Mode.GROUP, Delivery.EXACTLY_ONCE, 16, "sleep", sleep5, 1000, 200, sizes.sleepParallelRecords())));
        scenario(out, "c", "sleep 5 ms queue mode, 16 share consumers", () -> throughput(pipeline, Targets.SHARE_16,
                new PipelineScenario.Spec("c-share16", 2, 1, 16, Mode.SHARE, Delivery.AT_LEAST_ONCE, 1, "sleep", sleep5, 1000, 200, sizes.sleepParallelRecords())));
        for (int instances : new int[] {1, 2, 4}) {
            String figure = instances == 1 ? Targets.INSTANCES_1 : instances == 2 ? Targets.INSTANCES_2 : Targets.INSTANCES_4;
            scenario(out, "d", "sleep 5 ms, " + instances + " instance(s) x 1 serial worker", () -> throughput(pipeline, figure,
                    new PipelineScenario.Spec("d-inst" + instances, 12, instances, 1, Mode.GROUP, Delivery.EXACTLY_ONCE, 1, "sleep", sleep5,
                            1000, 60 * instances, sizes.scalingPerInstance() * instances)));
        }
        double rate = latencyRate != null ? latencyRate : sizes.latencyRate();
        // at least 8 s of sending, so the percentiles do not rest on a second of traffic
        int latencyCount = Math.max(sizes.latencyRecords(), (int) (rate * 8));
        scenario(out, "e", "latency through ingest at " + rate + "/s", () -> {
            var result = LatencyScenario.run(servers, workDir, rate, latencyCount, echoPayload);
            details.put("e.summary", result.summary());
            figures.put(Targets.LATENCY_RATE, result.rate());
            // the stack may not keep up with the asked rate: the latency belongs to the rate reached
            figures.put(Targets.LATENCY_ACHIEVED, result.summary().throughput().sentPerSecond());
            figures.put(Targets.LATENCY_P50, result.summary().latencyMs().p50());
            figures.put(Targets.LATENCY_P99, result.summary().latencyMs().p99());
        });
        scenario(out, "f", "in-process BlockingQueue echo", () -> {
            // more records than (b): at this speed a small count would time little more than thread start-up
            int count = Math.max(200_000, sizes.echoRecords());
            InProcessPipeline.run("f-warmup", count / 4, 2, echoPayload);
            Measurement m = InProcessPipeline.run("f-inproc", count, 2, echoPayload);
            details.put(Targets.IN_PROCESS, m);
            figures.put(Targets.IN_PROCESS, m.recordsPerSecond());
        });
    }

    private void throughput(PipelineScenario pipeline, String figure, PipelineScenario.Spec spec) throws Exception {
        Measurement m = pipeline.run(spec);
        details.put(figure, Map.of("spec", spec, "measurement", m));
        figures.put(figure, m.recordsPerSecond());
    }

    /** Runs the step inside a JFR recording when --profile was given. */
    private void profiled(Step step) throws Exception {
        if (profile == null) {
            step.run();
            return;
        }
        try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
            recording.start();
            step.run();
            recording.stop();
            recording.dump(profile);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private void scenario(PrintStream out, String letter, String what, Step step) {
        if (only != null && !only.contains(letter)) {
            return;
        }
        out.printf("(%s) %s ...%n", letter, what);
        long start = System.nanoTime();
        try {
            step.run();
            out.printf("(%s) %s done in %.1f s%n", letter, what, (System.nanoTime() - start) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.put("(" + letter + ") " + what, "interrupted");
        } catch (Exception e) {
            errors.put("(" + letter + ") " + what, String.valueOf(e.getMessage()));
            out.printf("(%s) %s FAILED: %s%n", letter, what, e.getMessage());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private void writeReport(Sizes sizes, Instant started, List<Target> targets) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", "pipeline " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        json.put("quick", quick);
        json.put("started", started.toString());
        json.put("finished", Instant.now().toString());
        json.put("machine", Machine.current());
        json.put("broker", bootstrap == null ? "embedded, this JVM" : bootstrap);
        json.put("sizes", sizes);
        json.put("method", BenchText.METHOD);
        json.put("figures", figures);
        json.put("targets", targets.stream().map(t -> Map.of("name", t.name(), "measured", String.valueOf(t.measured()),
                "goal", t.goal(), "verdict", t.verdict().name())).toList());
        json.put("durabilityRatio.eosOverInProcess", String.valueOf(Targets.durabilityRatio(figures)));
        json.put("notMeasured", Targets.FIGURES.stream().filter(f -> !figures.containsKey(f)).toList());
        json.put("errors", errors);
        json.put("details", details);
        Files.write(report, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }
}
