package dev.pipeline.cli.stack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on this machine, each part its own OS process: the embedded broker (unless
 * an external one is named), the reply service, N processors and ingest. {@link #close()} stops
 * them in the order that loses nothing: ingest first (no new requests), then the processors
 * (finish their batches), then the reply service (store what was replied), then the broker.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** Above a processor's own worst case: shutdown timeout (20 s), interrupt grace, client closes. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    /**
     * What to run.
     *
     * @param bootstrapServers an external broker, or null to start the embedded one on brokerPort
     * @param workers          worker threads per processor; 0 lets each choose (one per core)
     * @param concurrency      keys each worker runs at once (1: one record after another)
     * @param dataDir          the broker's data and the reply store go under it
     */
    public record Options(String bootstrapServers, int brokerPort, int ingestPort, int replyPort, int processors,
                          int workers, int concurrency, Path dataDir) {
        public Options {
            if (processors < 1 || processors > 64) {
                throw new IllegalArgumentException("processors must be between 1 and 64 (got " + processors + ")");
            }
        }

        String bootstrap() {
            return bootstrapServers != null ? bootstrapServers : "127.0.0.1:" + brokerPort;
        }
    }

    private final Options options;
    private final PrintStream out;
    private final List<ChildProcess> ingest = new ArrayList<>();
    private final List<ChildProcess> processors = new ArrayList<>();
    private final List<ChildProcess> reply = new ArrayList<>();
    private final List<ChildProcess> broker = new ArrayList<>();
    private boolean closed;

    public LocalStack(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Starts everything and returns once every part said it is ready; on failure stops what started. */
    public LocalStack start() throws InterruptedException {
        try {
            if (options.bootstrapServers() == null) {
                ChildProcess kafka = spawn(broker, "broker", List.of("broker", "--port", String.valueOf(options.brokerPort()),
                        "--data-dir", options.dataDir().resolve("kafka").toString()), "512m",
                        line -> line.startsWith("Kafka broker ready at"));
                kafka.awaitReady(READY_TIMEOUT);
            }
            spawn(reply, "reply", List.of("reply", "--bootstrap-servers", options.bootstrap(),
                    "--port", String.valueOf(options.replyPort()),
                    "--store", "jdbc:sqlite:" + options.dataDir().resolve("replies.db")), "384m",
                    line -> line.startsWith("reply listening on"));
            for (int i = 1; i <= options.processors(); i++) {
                startProcessor("processor-" + i);
            }
            spawn(ingest, "ingest", List.of("ingest", "--bootstrap-servers", options.bootstrap(),
                    "--port", String.valueOf(options.ingestPort()),
                    "--reply-base-url", replyUrl()), "384m",
                    line -> line.startsWith("ingest listening on"));
            for (ChildProcess child : snapshot()) {
                child.awaitReady(READY_TIMEOUT);
            }
            int workers = options.workers() > 0 ? options.workers() : Runtime.getRuntime().availableProcessors();
            if (!GroupReadiness.await(options.bootstrap(), "pipeline-processor", "pipeline.requests",
                    options.processors() * workers, READY_TIMEOUT)) {
                log.warn("the processors' group did not settle within {} s; requests may wait for a rebalance",
                        READY_TIMEOUT.toSeconds());
            }
            return this;
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** Starts one more processor in the group, e.g. {@code processor-3}. */
    public ChildProcess startProcessor(String instanceId) {
        synchronized (this) {
            requireOpen();
        }
        List<String> args = new ArrayList<>(List.of("processor", "--bootstrap-servers", options.bootstrap(),
                "--instance-id", instanceId));
        if (options.workers() > 0) {
            args.addAll(List.of("--workers", String.valueOf(options.workers())));
        }
        args.addAll(List.of("--concurrency", String.valueOf(options.concurrency())));
        return spawn(processors, instanceId, args, "384m", line -> line.startsWith("processor " + instanceId + " running"));
    }

    /** Starts a child and registers it, unless the stack is closed: no child may outlive close(). */
    private synchronized ChildProcess spawn(List<ChildProcess> group, String name, List<String> args, String heap,
                                            java.util.function.Predicate<String> readyWhen) {
        requireOpen();
        ChildProcess child = ChildProcess.start(name, args, heap, readyWhen, out);
        group.add(child);
        return child;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the pipeline is stopping");
        }
    }

    public String ingestUrl() {
        return "http://127.0.0.1:" + options.ingestPort();
    }

    public String replyUrl() {
        return "http://127.0.0.1:" + options.replyPort();
    }

    public String bootstrapServers() {
        return options.bootstrap();
    }

    public Path replyStore() {
        return options.dataDir().resolve("replies.db");
    }

    /** The first part that has exited, if any: the stack is then broken. */
    public java.util.Optional<ChildProcess> firstExited() {
        return snapshot().stream().filter(c -> !c.isAlive()).findFirst();
    }

    /** Stops the parts in order, each with a bound; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (List<ChildProcess> group : List.of(ingest, processors, reply, broker)) {
            group.forEach(ChildProcess::terminate);
            for (ChildProcess child : group) {
                try {
                    int code = child.awaitExit(STOP_TIMEOUT);
                    log.debug("{} exited with {}", child.name(), code);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    log.warn("interrupted while stopping {}", child.name());
                }
            }
        }
    }

    private synchronized List<ChildProcess> snapshot() {
        List<ChildProcess> all = new ArrayList<>(broker);
        all.addAll(reply);
        all.addAll(processors);
        all.addAll(ingest);
        return all;
    }
}
