package dev.pipeline.cli.chaos;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import dev.pipeline.cli.check.CheckCommand;
import dev.pipeline.cli.check.CheckResult;
import dev.pipeline.cli.check.Checker;
import dev.pipeline.cli.stack.GroupReadiness;
import dev.pipeline.core.kafka.KafkaClients;
import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.kafka.Topics;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.runtime.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pipeline chaos}: faults injected into a running pipeline, then the offline check. */
@Command(
        name = "chaos",
        mixinStandardHelpOptions = true,
        header = "Kill and pause the pipeline's processes under load, then check nothing was lost or duplicated.",
        description = {
            "Starts a broker, the reply service, N processors and ingest as OS processes in a",
            "directory of their own, and sends keyed requests with per-key sequence numbers",
            "through ingest. Meanwhile it SIGKILLs a random processor every few seconds and",
            "restarts it, SIGSTOPs one processor for longer than the group session (10 s) and",
            "then SIGCONTs it, SIGKILLs the broker once and restarts it on the same data, and",
            "SIGKILLs the reply service once and restarts it on the same store.",
            "",
            "When every accepted request is stored (or --drain-timeout passes), it stops the",
            "services and runs the checker (see `pipeline check`) on the topics and the store.",
            "",
            "Exit codes: 0 no anomaly, 1 anomalies or a fault that could not be injected,",
            "2 the harness itself failed."
        })
public final class ChaosCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--requests", defaultValue = "20000",
            description = {"Requests to send at least (default: ${DEFAULT-VALUE}); the workload goes on until the",
                    "last fault is over, so that every fault hits a pipeline under load."})
    int requests;

    @Option(names = "--work-ms", defaultValue = "10",
            description = "Each request is a `sleep` of this many ms, so processors spend time inside transactions (default: ${DEFAULT-VALUE}).")
    int workMs;

    @Option(names = "--keys", defaultValue = "50", description = "Ordering keys; each key's requests go one after another (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--rate", defaultValue = "200", description = "Requests per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--processors", defaultValue = "3", description = "Processor instances (default: ${DEFAULT-VALUE}).")
    int processorCount;

    @Option(names = "--workers", defaultValue = "2", description = "Workers per processor (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--partitions", defaultValue = "12", description = "Partitions of the topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--mode", defaultValue = "group",
            description = "group (exactly-once, the default) or share (queue mode, at least once).")
    String mode;

    @Option(names = "--kills", defaultValue = "5", description = "Processor SIGKILLs, each followed by a restart (default: ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--pause", defaultValue = "15s", converter = Durations.Converter.class,
            description = "How long one processor is SIGSTOPped; 0 for no pause (default: ${DEFAULT-VALUE}, above the 10 s session).")
    Duration pause;

    @Option(names = "--fault-interval", defaultValue = "3s", converter = Durations.Converter.class,
            description = "Time between faults (default: ${DEFAULT-VALUE}).")
    Duration faultInterval;

    @Option(names = "--no-broker-restart", description = "Do not kill and restart the broker.")
    boolean noBrokerRestart;

    @Option(names = "--no-reply-restart", description = "Do not kill and restart the reply service.")
    boolean noReplyRestart;

    @Option(names = "--drain-timeout", defaultValue = "180s", converter = Durations.Converter.class,
            description = "After the workload, how long to wait for every accepted request to be stored (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--seed", description = "Seed for choosing processors (default: random, printed).")
    Long seed;

    @Option(names = "--dir", paramLabel = "DIR", description = "Working directory (broker data, store, logs); default: a new temporary one.")
    Path dir;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the result as JSON to this file.")
    Path report;

    private PrintWriter out;
    private Timeline timeline;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        if (!mode.equals("group") && !mode.equals("share")) {
            throw new ParameterException(spec.commandLine(), "--mode must be group or share (got '" + mode + "')");
        }
        if (requests < 1 || keys < 1 || rate <= 0 || processorCount < 1 || workers < 1 || kills < 0 || workMs < 0 || workMs > 1000) {
            throw new ParameterException(spec.commandLine(), "--requests, --keys, --rate, --processors and --workers must be positive, "
                    + "--kills 0 or more, --work-ms from 0 to 1000");
        }
        if (processorCount < 2 && (kills > 0 || !pause.isZero())) {
            throw new ParameterException(spec.commandLine(), "kills and the pause need at least 2 processors, so one can take over");
        }
        long chosenSeed = seed != null ? seed : new Random().nextLong();
        Random random = new Random(chosenSeed);
        if (dir != null && Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    // an old store would count as this run's replies
                    throw new ParameterException(spec.commandLine(), "--dir " + dir + " is not empty; give a new or empty directory");
                }
            }
        }
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("pipeline-chaos-");
        Path stackLog = work.resolve("stack.log");
        Path acceptedLog = work.resolve("accepted.ndjson");
        out.printf("chaos: %d requests over %d keys at %.0f/s, %d processors x %d workers, %s mode; %d kills, pause %s, "
                        + "broker restart %s, reply restart %s; seed %d%n",
                requests, keys, rate, processorCount, workers, mode, kills, Durations.format(pause),
                noBrokerRestart ? "no" : "yes", noReplyRestart ? "no" : "yes", chosenSeed);
        out.printf("chaos: working in %s (service output in %s)%n", work, stackLog);
        out.flush();
        // stopped from outside (SIGTERM, Ctrl-C): take the stack down too; its processes run in
        // sessions of their own and would otherwise outlive this one
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));
        try (PrintStream log = new PrintStream(new FileOutputStream(stackLog.toFile(), true), true, StandardCharsets.UTF_8);
             ChaosStack stack = new ChaosStack(work, log, mode, workers, partitions)) {
            timeline = new Timeline(out);
            stack.start(processorCount);
            if (mode.equals("group") && !GroupReadiness.await(stack.bootstrap(), "pipeline-processor", "pipeline.requests",
                    processorCount * workers, true, Duration.ofSeconds(90))) {
                timeline.problem("the group did not settle within 90 s of the start");
            }
            timeline.event("started", "broker " + stack.bootstrap() + ", ingest " + stack.ingestUrl() + ", reply " + stack.replyUrl());

            java.util.concurrent.atomic.AtomicBoolean faultsRunning = new java.util.concurrent.atomic.AtomicBoolean(true);
            Workload workload = new Workload(stack.ingestUrl(), requests, keys, rate, workMs, faultsRunning::get, acceptedLog);
            AtomicReference<Workload.Result> workloadResult = new AtomicReference<>();
            AtomicReference<Throwable> workloadFailure = new AtomicReference<>();
            Thread sender = Thread.ofPlatform().name("chaos-workload").start(() -> {
                try {
                    workloadResult.set(workload.run());
                } catch (Throwable t) {
                    workloadFailure.set(t);
                }
            });
            int injected;
            try {
                injected = new FaultScript(stack, random, timeline, kills, pause, faultInterval, !noBrokerRestart, !noReplyRestart,
                        mode.equals("group"), processorCount * workers).run(sender);
            } finally {
                faultsRunning.set(false);
            }
            sender.join();
            if (workloadFailure.get() != null) {
                throw new IllegalStateException("the workload failed", workloadFailure.get());
            }
            Workload.Result sent = workloadResult.get();
            timeline.event("workload done", sent.accepted() + " accepted in " + String.format("%.1f", sent.seconds()) + " s, "
                    + sent.retried() + " resent, " + sent.notAccepted() + " never accepted; statuses " + sent.statuses());
            KafkaSettings settings = new KafkaSettings(stack.bootstrap(), new Topics(Topics.DEFAULT_PREFIX), partitions, (short) 1, Map.of());
            Checker checker = new Checker(new KafkaClients(settings, "chaos-check"));
            Checker.Inputs inputs = new Checker.Inputs(settings.topics(), acceptedLog, stack.storeUrl(), null, null, Duration.ofSeconds(60));
            drain(stack, sent.accepted(), checker, inputs);
            List<String> unexpected = new ArrayList<>(stack.checkForUnexpectedExits());
            Map<String, Integer> exits = stack.stopServices();
            exits.forEach((name, code) -> {
                if (code != 0 && code != 143) { // 143: the JVM's exit after its SIGTERM shutdown hooks ran
                    unexpected.add(name + " exited with " + code + " on SIGTERM");
                }
            });
            timeline.event("stopped", "exit codes " + exits);

            CheckResult result = new Checker(new KafkaClients(settings, "chaos-check-final")).check(inputs);
            boolean exactlyOnce = mode.equals("group");
            out.println("chaos: check");
            CheckCommand.print(out, result, exactlyOnce);
            if (sent.notAccepted() > 0) {
                timeline.addProblem(sent.notAccepted() + " requests were never accepted");
            }
            if (result.deadLetters() > 0) {
                timeline.addProblem(result.deadLetters() + " dead letters: every request of this run is valid and must get a reply");
            }
            if (result.undecided() > 0) {
                timeline.addProblem(result.undecided() + " reply offsets in transactions still open after every processor stopped");
            }
            unexpected.forEach(timeline::addProblem);
            boolean clean = result.clean(exactlyOnce) && timeline.problems().isEmpty();
            out.printf("chaos: %d faults injected; %s%n", injected,
                    timeline.problems().isEmpty() ? "no harness problem" : "problems: " + timeline.problems());
            out.printf("chaos: %s in %.0f s%n", clean ? "PASSED" : "FAILED", timeline.seconds());
            if (report != null) {
                writeReport(chosenSeed, work, sent, injected, result, exactlyOnce, clean);
            }
            return clean ? 0 : 1;
        } catch (IOException | SQLException | RuntimeException | InterruptedException e) {
            out.printf("chaos: the harness failed: %s (see %s)%n", e, stackLog);
            e.printStackTrace(new PrintWriter(spec.commandLine().getErr(), true));
            return 2;
        }
    }

    /**
     * Waits until the store holds at least {@code accepted} rows, then until the checker finds
     * every request record answered and stored, or the drain timeout passes (a problem).
     */
    private void drain(ChaosStack stack, long accepted, Checker checker, Checker.Inputs inputs)
            throws InterruptedException, IOException, SQLException {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        long stored = -1;
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (stored < accepted && System.nanoTime() < deadline) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.replyUrl() + "/v1/stats"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        stored = Json.mapper().readTree(response.body()).path("stored").asLong(-1);
                    }
                } catch (IOException e) {
                    // the reply service may be restarting; ask again
                }
                if (stored < accepted) {
                    Thread.sleep(500);
                }
            }
        }
        while (System.nanoTime() < deadline) {
            CheckResult r = checker.check(inputs);
            if (r.lost() == 0 && r.missingFromStore() == 0 && r.undecided() == 0) {
                timeline.event("drained", stored + " rows in the store; every request record answered and stored");
                return;
            }
            Thread.sleep(2_000);
        }
        timeline.problem("after " + Durations.format(drainTimeout) + " not every request was answered and stored ("
                + stored + " of " + accepted + " rows)");
    }

    private void writeReport(long chosenSeed, Path work, Workload.Result sent, int injected, CheckResult result,
                             boolean exactlyOnce, boolean clean) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", "pipeline " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        json.put("clean", clean);
        json.put("mode", mode);
        json.put("seed", chosenSeed);
        json.put("dir", work.toString());
        json.put("requests", requests);
        json.put("workload", sent);
        json.put("faultsInjected", injected);
        json.put("problems", timeline.problems());
        json.put("timeline", timeline.events());
        json.put("counts", result.counts());
        json.put("anomalies", result.anomalies(exactlyOnce));
        json.put("examples", result.examples());
        json.put("seconds", timeline.seconds());
        Files.write(report, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }
}
