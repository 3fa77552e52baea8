package dev.pipeline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pipeline.core.kafka.Topics;
import dev.pipeline.testkit.JavaProcess;
import dev.pipeline.testkit.KafkaBroker;

/**
 * The pipeline's services as users run them: {@code pipeline-cli.jar <service> ...} in their own
 * JVMs, on ports they choose themselves (port 0), against the test's broker. Closing stops them
 * in the order that loses nothing: ingest, processors, reply.
 */
final class Services implements AutoCloseable {

    static final Path JAR = Path.of("..", "pipeline-cli", "target", "pipeline-cli.jar");
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration STOP = Duration.ofSeconds(60);
    private static final Pattern URL = Pattern.compile("(http://[0-9.]+:\\d+)");

    private final String bootstrapServers;
    private final Topics topics;
    private final Path workDir;
    private final int partitions;
    private final List<JavaProcess> ingest = new ArrayList<>();
    private final List<JavaProcess> processors = new ArrayList<>();
    private final List<JavaProcess> reply = new ArrayList<>();
    private final Map<String, JavaProcess> byName = new LinkedHashMap<>();
    private final Map<String, Integer> exitCodes = new LinkedHashMap<>();
    private String replyUrl;
    private String ingestUrl;

    Services(KafkaBroker kafka, Topics topics, Path workDir) {
        this(kafka, topics, workDir, 12);
    }

    Services(KafkaBroker kafka, Topics topics, Path workDir, int partitions) {
        this(kafka.bootstrapServers(), topics, workDir, partitions);
    }

    /** Against brokers the test runs itself, e.g. a {@code pipeline broker} process it kills and restarts. */
    Services(String bootstrapServers, Topics topics, Path workDir, int partitions) {
        assertThat(JAR).as("the packaged CLI (mvn package builds it)").exists();
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.workDir = workDir;
        this.partitions = partitions;
    }

    Path replyStore() {
        return workDir.resolve("replies.db");
    }

    /**
     * Starts a reply service on {@link #replyStore()}; started again (after the last one was
     * stopped), it resumes on the same store. Returns its URL.
     */
    String startReply(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("reply", "--port", "0", "--store", "jdbc:sqlite:" + replyStore()));
        args.addAll(List.of(extraArgs));
        JavaProcess process = start("reply", args);
        reply.add(process);
        replyUrl = url(process, "reply listening on");
        return replyUrl;
    }

    /** Starts an ingest service; its 202s point to the reply service when one was started. Returns its URL. */
    String startIngest(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("ingest", "--port", "0"));
        if (replyUrl != null) {
            args.addAll(List.of("--reply-base-url", replyUrl));
        }
        args.addAll(List.of(extraArgs));
        JavaProcess process = start("ingest", args);
        ingest.add(process);
        ingestUrl = url(process, "ingest listening on");
        return ingestUrl;
    }

    /** The reply service started last. */
    JavaProcess replyProcess() {
        return reply.getLast();
    }

    /** The ingest service started last. */
    JavaProcess ingestProcess() {
        return ingest.getLast();
    }

    JavaProcess startProcessor(String instanceId, int workers, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("processor", "--instance-id", instanceId, "--workers", String.valueOf(workers)));
        args.addAll(List.of(extraArgs));
        JavaProcess process = start(instanceId, args);
        process.awaitStdoutLine(line -> line.startsWith("processor " + instanceId + " running"), START);
        processors.add(process);
        return process;
    }

    String ingestUrl() {
        return ingestUrl;
    }

    String replyUrl() {
        return replyUrl;
    }

    /** Every service process started so far, by name (a later one with the same name replaces it). */
    Map<String, JavaProcess> processes() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    /** The exit code of each process that {@link #close()} stopped with SIGTERM, by name. */
    Map<String, Integer> exitCodes() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(exitCodes));
    }

    private JavaProcess start(String name, List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--bootstrap-servers", bootstrapServers, "--topic-prefix", topics.prefix(), "--partitions", String.valueOf(partitions)));
        JavaProcess process = JavaProcess.startJar(name, JAR, all, workDir, Map.of("PIPELINE_LOG_LEVEL", "WARN"));
        byName.put(name, process);
        return process;
    }

    private static String url(JavaProcess process, String prefix) {
        String line = process.awaitStdoutLine(l -> l.startsWith(prefix), START);
        Matcher m = URL.matcher(line);
        assertThat(m.find()).as("a URL in '%s'", line).isTrue();
        return m.group(1);
    }

    @Override
    public void close() {
        for (List<JavaProcess> group : List.of(ingest, processors, reply)) {
            for (JavaProcess process : group) {
                if (process.isAlive()) {
                    int code = process.terminate(STOP);
                    byName.forEach((name, p) -> {
                        if (p == process) {
                            exitCodes.put(name, code);
                        }
                    });
                }
            }
            group.forEach(JavaProcess::close);
        }
    }
}
