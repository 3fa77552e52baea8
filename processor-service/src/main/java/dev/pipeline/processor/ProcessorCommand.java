package dev.pipeline.processor;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import dev.pipeline.core.kafka.KafkaClients.GroupProtocol;
import dev.pipeline.core.kafka.KafkaOptions;
import dev.pipeline.core.runtime.Durations;
import dev.pipeline.core.runtime.ServiceRunner;
import dev.pipeline.processor.internal.HealthFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipeline processor}: runs one processor instance until SIGTERM or Ctrl-C. */
@Command(
        name = "processor",
        mixinStandardHelpOptions = true,
        header = "Run a processor: consume requests, run handlers, write replies exactly once.",
        description = {
            "Joins the processor consumer group: start more instances (here or on other machines) to",
            "share the requests topic's partitions. Each worker thread owns a consumer and a",
            "transactional producer; one Kafka transaction per poll batch holds the replies, dead",
            "letters and consumed offsets."
        })
public final class ProcessorCommand implements Callable<Integer> {

    /** How often the health file is rewritten; a check should allow a few missed beats. */
    static final Duration HEALTH_INTERVAL = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "${env:PIPELINE_WORKERS:-0}",
            description = "Worker threads; 0 means one per core (env PIPELINE_WORKERS; default: one per core).")
    int workers;

    @Option(names = "--instance-id", paramLabel = "ID", defaultValue = "${env:PIPELINE_INSTANCE_ID:-}",
            description = {"This instance's name, unique in the group and the same across its restarts, so a restart",
                    "fences its predecessor's open transactions at once (env PIPELINE_INSTANCE_ID; default: host-pid)."})
    String instanceId;

    @Option(names = "--mode", paramLabel = "group|share", defaultValue = "${env:PIPELINE_MODE:-group}",
            description = {"'group': a consumer group, exactly once, in order per key; 'share': queue mode on a",
                    "share group, any number of workers, at least once, no order (env PIPELINE_MODE; default: ${DEFAULT-VALUE})."})
    String mode;

    @Option(names = "--delivery", paramLabel = "exactly-once|at-least-once", defaultValue = "${env:PIPELINE_DELIVERY:-exactly-once}",
            description = {"Group mode: one transaction per batch (exactly once), or replies first and offsets",
                    "after them (at least once; a crash can reply twice, the store keeps one) (default: ${DEFAULT-VALUE})."})
    String delivery;

    @Option(names = "--group", paramLabel = "GROUP", defaultValue = "${env:PIPELINE_GROUP:-}",
            description = "Consumer group, or share group with --mode share (env PIPELINE_GROUP; default: pipeline-processor, "
                    + "pipeline-processor-share).")
    String group;

    @Option(names = "--delivery-limit", paramLabel = "N", defaultValue = "${env:PIPELINE_DELIVERY_LIMIT:-5}",
            description = "Queue mode: deliveries of a record before it is rejected to the DLQ (default: ${DEFAULT-VALUE}).")
    int deliveryLimit;

    @Option(names = "--group-protocol", paramLabel = "consumer|classic", defaultValue = "${env:PIPELINE_GROUP_PROTOCOL:-consumer}",
            description = "KIP-848 'consumer' or 'classic' (env PIPELINE_GROUP_PROTOCOL; default: ${DEFAULT-VALUE}).")
    String groupProtocol;

    @Option(names = "--max-poll-records", paramLabel = "N", defaultValue = "${env:PIPELINE_MAX_POLL_RECORDS:-2000}",
            description = {"Records per poll (default: ${DEFAULT-VALUE}). A serial transaction still ends on the",
                    "commit interval, a concurrent one after 500 records; queue mode takes at most 50."})
    int maxPollRecords;

    @Option(names = "--commit-interval", paramLabel = "DURATION", converter = Durations.Converter.class,
            defaultValue = "${env:PIPELINE_COMMIT_INTERVAL:-100ms}",
            description = {"A transaction is committed once it has run this long: replies become visible",
                    "to read_committed readers within about this time (default: ${DEFAULT-VALUE})."})
    Duration commitInterval;

    @Option(names = "--concurrency", paramLabel = "M", defaultValue = "${env:PIPELINE_CONCURRENCY:-1}",
            description = {"Records of different keys each worker runs at once, on virtual threads; records of",
                    "one key still run in order. Raise it for I/O-bound handlers (default: ${DEFAULT-VALUE})."})
    int concurrency;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "${env:PIPELINE_MAX_ATTEMPTS:-3}",
            description = "Handler calls per request before an error reply (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--backoff", paramLabel = "DURATION", converter = Durations.Converter.class, defaultValue = "${env:PIPELINE_BACKOFF:-100ms}",
            description = "Backoff before the first retry, doubled each retry, with jitter (e.g. 100ms, 2s; default: ${DEFAULT-VALUE}).")
    Duration backoff;

    @Option(names = "--max-backoff", paramLabel = "DURATION", converter = Durations.Converter.class, defaultValue = "${env:PIPELINE_MAX_BACKOFF:-5s}",
            description = "Cap of one backoff (default: ${DEFAULT-VALUE}).")
    Duration maxBackoff;

    @Option(names = "--handler-timeout", paramLabel = "DURATION", converter = Durations.Converter.class, defaultValue = "${env:PIPELINE_HANDLER_TIMEOUT:-10s}",
            description = "Bound of one handler call (default: ${DEFAULT-VALUE}).")
    Duration handlerTimeout;

    @Option(names = "--transaction-timeout", paramLabel = "DURATION", converter = Durations.Converter.class, defaultValue = "${env:PIPELINE_TRANSACTION_TIMEOUT:-60s}",
            description = "The coordinator aborts a worker's open transaction after this (default: ${DEFAULT-VALUE}).")
    Duration transactionTimeout;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", converter = Durations.Converter.class, defaultValue = "${env:PIPELINE_SHUTDOWN_TIMEOUT:-20s}",
            description = "How long SIGTERM waits for batches in flight before aborting them (default: ${DEFAULT-VALUE}).")
    Duration shutdownTimeout;

    @Option(names = "--plugins-dir", paramLabel = "DIR", defaultValue = "${env:PIPELINE_PLUGINS_DIR:-plugins}",
            description = "Folder of handler plug-in jars (default: ${DEFAULT-VALUE}).")
    Path plugins;

    @Option(names = "--health-file", paramLabel = "FILE", defaultValue = "${env:PIPELINE_HEALTH_FILE}",
            description = {"Rewrite FILE with the time (epoch seconds) every 5 s while all workers run, and delete it",
                    "when one stops or the processor does: a container health check, as the processor has no",
                    "HTTP port (env PIPELINE_HEALTH_FILE; default: none)."})
    Path healthFile;

    @Override
    public Integer call() throws InterruptedException {
        ProcessorConfig config = new ProcessorConfig(
                instanceId == null || instanceId.isBlank() ? defaultInstanceId() : instanceId,
                workers == 0 ? Runtime.getRuntime().availableProcessors() : workers, parseMode(mode), parseDelivery(delivery),
                group == null || group.isBlank() ? defaultGroup(parseMode(mode)) : group,
                parseProtocol(groupProtocol), maxPollRecords, commitInterval, concurrency, deliveryLimit, maxAttempts, backoff, maxBackoff, handlerTimeout,
                transactionTimeout, shutdownTimeout, plugins, kafka.settings());
        PrintWriter out = spec.commandLine().getOut();
        return ServiceRunner.runUntilShutdown("processor", () -> withHealthFile(ProcessorService.create(config)), () -> {
            out.println("processor " + config.instanceId() + " running " + config.workers() + " workers in "
                    + (config.mode() == ProcessorConfig.Mode.SHARE ? "share group " : "group ")
                    + config.groupId() + " on " + config.kafka().topics().requests());
            out.flush();
        });
    }

    private ServiceRunner.Service withHealthFile(ProcessorService service) {
        return healthFile == null ? service
                : new Monitored(service, new HealthFile(healthFile, HEALTH_INTERVAL, service::healthy, Clock.systemUTC()));
    }

    /** The processor and its health file: the file starts after the service and stops before it. */
    private record Monitored(ProcessorService service, HealthFile healthFile) implements ServiceRunner.Service {
        @Override
        public void start() {
            service.start();
            healthFile.start();
        }

        @Override
        public void close() {
            try {
                healthFile.close();
            } finally {
                service.close();
            }
        }

        @Override
        public CompletableFuture<Throwable> fatalError() {
            return service.fatalError();
        }
    }

    private static ProcessorConfig.Mode parseMode(String value) {
        try {
            return ProcessorConfig.Mode.valueOf(value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new dev.pipeline.core.runtime.ConfigException("mode", value, "must be 'group' or 'share'");
        }
    }

    private static ProcessorConfig.Delivery parseDelivery(String value) {
        try {
            return ProcessorConfig.Delivery.valueOf(value.trim().toUpperCase().replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new dev.pipeline.core.runtime.ConfigException("delivery", value, "must be 'exactly-once' or 'at-least-once'");
        }
    }

    private static String defaultGroup(ProcessorConfig.Mode mode) {
        // a share group and a consumer group cannot have the same name
        return mode == ProcessorConfig.Mode.SHARE ? "pipeline-processor-share" : "pipeline-processor";
    }

    private static GroupProtocol parseProtocol(String value) {
        try {
            return GroupProtocol.valueOf(value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new dev.pipeline.core.runtime.ConfigException("group protocol", value, "must be 'consumer' or 'classic'");
        }
    }

    /** Unique on a machine, but not stable across restarts: set --instance-id for that. */
    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "processor";
        }
        String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
        return (host.replaceAll("[^A-Za-z0-9._-]", "-") + "-" + pid);
    }
}
