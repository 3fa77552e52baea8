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
import dev.pipeline.cli.stack.ChildProcess;
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
    private long started;
    private final List<Map<String, Object>> timeline = new ArrayList<>();

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
            started = System.nanoTime();
            stack.start(processorCount);
            List<String> faultProblems = new ArrayList<>();
            if (mode.equals("group") && !GroupReadiness.await(stack.bootstrap(), "pipeline-processor", "pipeline.requests",
                    processorCount * workers, true, Duration.ofSeconds(90))) {
                problem(faultProblems, "the group did not settle within 90 s of the start");
            }
            event("started", "broker " + stack.bootstrap() + ", ingest " + stack.ingestUrl() + ", reply " + stack.replyUrl());

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
                injected = injectFaults(stack, random, sender, faultProblems);
            } finally {
                faultsRunning.set(false);
            }
            sender.join();
            if (workloadFailure.get() != null) {
                throw new IllegalStateException("the workload failed", workloadFailure.get());
            }
            Workload.Result sent = workloadResult.get();
            event("workload done", sent.accepted() + " accepted in " + String.format("%.1f", sent.seconds()) + " s, "
                    + sent.retried() + " resent, " + sent.notAccepted() + " never accepted; statuses " + sent.statuses());
            KafkaSettings settings = new KafkaSettings(stack.bootstrap(), new Topics(Topics.DEFAULT_PREFIX), partitions, (short) 1, Map.of());
            Checker checker = new Checker(new KafkaClients(settings, "chaos-check"));
            Checker.Inputs inputs = new Checker.Inputs(settings.topics(), acceptedLog, stack.storeUrl(), null, null, Duration.ofSeconds(60));
            drain(stack, sent.accepted(), checker, inputs, faultProblems);
            List<String> unexpected = new ArrayList<>(stack.checkForUnexpectedExits());
            Map<String, Integer> exits = stack.stopServices();
            exits.forEach((name, code) -> {
                if (code != 0 && code != 143) { // 143: the JVM's exit after its SIGTERM shutdown hooks ran
                    unexpected.add(name + " exited with " + code + " on SIGTERM");
                }
            });
            event("stopped", "exit codes " + exits);

            CheckResult result = new Checker(new KafkaClients(settings, "chaos-check-final")).check(inputs);
            boolean exactlyOnce = mode.equals("group");
            out.println("chaos: check");
            CheckCommand.print(out, result, exactlyOnce);
            if (sent.notAccepted() > 0) {
                faultProblems.add(sent.notAccepted() + " requests were never accepted");
            }
            if (result.deadLetters() > 0) {
                faultProblems.add(result.deadLetters() + " dead letters: every request of this run is valid and must get a reply");
            }
            if (result.undecided() > 0) {
                faultProblems.add(result.undecided() + " reply offsets in transactions still open after every processor stopped");
            }
            faultProblems.addAll(unexpected);
            boolean clean = result.clean(exactlyOnce) && faultProblems.isEmpty();
            out.printf("chaos: %d faults injected; %s%n", injected, faultProblems.isEmpty() ? "no harness problem" : "problems: " + faultProblems);
            out.printf("chaos: %s in %.0f s%n", clean ? "PASSED" : "FAILED", seconds());
            if (report != null) {
                writeReport(chosenSeed, work, sent, injected, faultProblems, result, exactlyOnce, clean);
            }
            return clean ? 0 : 1;
        } catch (IOException | SQLException | RuntimeException | InterruptedException e) {
            out.printf("chaos: the harness failed: %s (see %s)%n", e, stackLog);
            e.printStackTrace(new PrintWriter(spec.commandLine().getErr(), true));
            return 2;
        }
    }

    /**
     * The fault script: kills spread over the run, with the pause, the broker restart and the
     * reply restart between them. Returns the number of faults injected.
     */
    private int injectFaults(ChaosStack stack, Random random, Thread workload, List<String> problems) throws InterruptedException {
        // the pause after the 2nd kill, the broker after the 4th, the reply service after the 5th
        // (or at the end, with fewer kills)
        List<String> script = new ArrayList<>();
        Map<Integer, String> after = new LinkedHashMap<>();
        if (!pause.isZero()) {
            after.put(2, "pause");
        }
        if (!noBrokerRestart) {
            after.put(4, "broker");
        }
        if (!noReplyRestart) {
            after.put(5, "reply");
        }
        for (int i = 1; i <= kills; i++) {
            script.add("kill");
            if (after.containsKey(i)) {
                script.add(after.remove(i));
            }
        }
        script.addAll(after.values());
        int injected = 0;
        List<String> ids = new ArrayList<>(stack.processors().keySet());
        for (String fault : script) {
            Thread.sleep(faultInterval);
            if (!workload.isAlive()) {
                problem(problems, "the workload ended before a " + fault + " fault: it would hit an idle pipeline");
            }
            List<String> exited = stack.checkForUnexpectedExits();
            if (!exited.isEmpty()) {
                problems.addAll(exited);
                event("problem", String.valueOf(exited));
                return injected;
            }
            switch (fault) {
                case "kill" -> {
                    String id = ids.get(random.nextInt(ids.size()));
                    ChildProcess p = stack.processors().get(id);
                    long t = System.nanoTime();
                    p.kill();
                    stack.startProcessor(id);
                    settle(stack);
                    event("SIGKILL " + id, "pid " + p.pid() + "; restarted, and the group settled again after " + since(t));
                }
                case "pause" -> {
                    String id = ids.get(random.nextInt(ids.size()));
                    ChildProcess p = stack.processors().get(id);
                    p.signal("STOP");
                    try {
                        event("SIGSTOP " + id, "pid " + p.pid() + " for " + Durations.format(pause));
                        Thread.sleep(pause);
                    } finally {
                        p.signal("CONT");
                    }
                    event("SIGCONT " + id, "its group membership has expired: it must be fenced");
                }
                case "broker" -> {
                    long t = System.nanoTime();
                    stack.broker().kill();
                    event("SIGKILL broker", "pid " + stack.broker().pid());
                    Thread.sleep(Duration.ofSeconds(2));
                    stack.startBroker();
                    event("broker restarted", "on the same data, ready after " + since(t));
                }
                case "reply" -> {
                    long t = System.nanoTime();
                    stack.reply().kill();
                    event("SIGKILL reply", "pid " + stack.reply().pid());
                    Thread.sleep(Duration.ofSeconds(1));
                    stack.startReply();
                    event("reply restarted", "on the same store, ready after " + since(t));
                }
                default -> throw new IllegalStateException(fault);
            }
            injected++;
        }
        return injected;
    }

    /**
     * In group mode, waits until every worker is a member again and the partitions are spread,
     * so the next fault hits a processor that holds partitions and has work in flight.
     */
    private void settle(ChaosStack stack) throws InterruptedException {
        if (mode.equals("group") && !GroupReadiness.await(stack.bootstrap(), "pipeline-processor", "pipeline.requests",
                processorCount * workers, true, Duration.ofSeconds(60))) {
            event("note", "the group did not settle within 60 s after a restart; going on");
        }
    }

    /**
     * Waits until the store holds at least {@code accepted} rows, then until the checker finds
     * every request record answered and stored, or the drain timeout passes (a problem).
     */
    private void drain(ChaosStack stack, long accepted, Checker checker, Checker.Inputs inputs, List<String> problems)
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
                event("drained", stored + " rows in the store; every request record answered and stored");
                return;
            }
            Thread.sleep(2_000);
        }
        problem(problems, "after " + Durations.format(drainTimeout) + " not every request was answered and stored ("
                + stored + " of " + accepted + " rows)");
    }

    private void problem(List<String> problems, String what) {
        problems.add(what);
        event("problem", what);
    }

    private void writeReport(long chosenSeed, Path work, Workload.Result sent, int injected, List<String> problems,
                             CheckResult result, boolean exactlyOnce, boolean clean) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", "pipeline " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        json.put("clean", clean);
        json.put("mode", mode);
        json.put("seed", chosenSeed);
        json.put("dir", work.toString());
        json.put("requests", requests);
        json.put("workload", sent);
        json.put("faultsInjected", injected);
        json.put("problems", problems);
        json.put("timeline", timeline);
        json.put("counts", result.counts());
        json.put("anomalies", result.anomalies(exactlyOnce));
        json.put("examples", result.examples());
        json.put("seconds", seconds());
        Files.write(report, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }

    private void event(String what, String detail) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("at", Math.round(seconds() * 10) / 10.0);
        e.put("event", what);
        e.put("detail", detail);
        timeline.add(e);
        out.printf("chaos %6.1fs  %-18s %s%n", seconds(), what, detail);
        out.flush();
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private static String since(long t) {
        return String.format("%.1f s", (System.nanoTime() - t) / 1e9);
    }
}
