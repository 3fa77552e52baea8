package dev.pipeline.cli.send;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import dev.pipeline.core.runtime.Durations;
import dev.pipeline.core.kafka.KafkaOptions;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.runtime.ConfigException;

/**
 * {@code pipeline send}: the producer CLI. Parses the options into a {@link SendConfig}, runs a
 * {@link SendRun}, prints the summary on stdout and exits 0 when every accepted request got its
 * reply, 1 when some are missing or a service cannot be reached, 2 on a usage error.
 */
@Command(
        name = "send",
        mixinStandardHelpOptions = true,
        header = "Send requests (stdin, a file or generated) and wait for their replies.",
        description = {
            "Send requests through ingest (or straight to Kafka with --direct), paced and",
            "with a bounded number in flight, then wait for every reply from the reply",
            "service and print a summary: counts, throughput and latency percentiles.",
            "",
            "Input: NDJSON on stdin or in --file, one POST /v1/requests body per line, e.g.",
            "{\"type\":\"echo\",\"payload\":\"hi\"} (a missing id or client is filled in);",
            "or generated with --type (and --payload, --count, --keys, --deadline).",
            "",
            "Exit code: 0 when every accepted request got a reply (or --no-wait), 1 when",
            "replies are missing at the timeout or a service cannot be reached, 2 on a",
            "usage error."
        })
public final class SendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = {"-f", "--file"}, paramLabel = "PATH",
            description = "NDJSON requests from this file; '-' for stdin (the default without --type).")
    String file;

    @Option(names = "--type", paramLabel = "TYPE", description = "Generate requests of this handler type, e.g. fib.")
    String type;

    @Option(names = "--payload", paramLabel = "JSON",
            description = "Payload of generated requests: JSON if it parses (25, {\"a\":1}), else the text itself.")
    String payload;

    @Option(names = "--count", paramLabel = "N", description = "How many requests to generate (default: 1).")
    Long count;

    @Option(names = "--keys", paramLabel = "N",
            description = "Generated requests take keys key-0..key-(N-1) in turn (default: none, the client orders).")
    Integer keys;

    @Option(names = "--deadline", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Generated requests expire this long after they are sent, e.g. 5s (default: never).")
    Duration deadline;

    @Option(names = "--client", paramLabel = "ID",
            description = "Client id of generated requests and of lines without one (default: cli-<random>).")
    String client;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "0",
            description = "Requests per second, evenly spaced; 0 for no limit (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "64",
            description = "Requests in flight at most (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:PIPELINE_INGEST_URL:-http://127.0.0.1:8080}",
            description = "Ingest service (env PIPELINE_INGEST_URL; default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--direct",
            description = "Write straight to the requests topic as ingest would, using the Kafka options (--bootstrap-servers, ...). "
                    + "No type check: an unknown type gets a 'rejected' reply, not a 422.")
    boolean direct;

    @Option(names = "--reply-url", paramLabel = "URL", defaultValue = "${env:PIPELINE_REPLY_URL:-http://127.0.0.1:8081}",
            description = {"Reply service (env PIPELINE_REPLY_URL; default: ${DEFAULT-VALUE}).",
                    "Replies are read from it with --direct too."})
    URI replyUrl;

    @Option(names = "--auth-token", paramLabel = "TOKEN", defaultValue = "${env:PIPELINE_AUTH_TOKEN}",
            description = "Bearer token of the HTTP services (env PIPELINE_AUTH_TOKEN).")
    String authToken;

    @Option(names = "--no-wait", description = "Do not wait for the replies; exit once every request is sent.")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = Durations.Converter.class,
            description = "How long to wait for replies after the last send (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "10",
            description = "Retries of a request on 429, 503 or a connection failure, with the same id (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the summary as JSON to this file.")
    Path report;

    @Option(names = "--no-progress", description = "No progress line on stderr (drawn only on a terminal anyway).")
    boolean noProgress;

    @Override
    public Integer call() {
        SendConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (config.source() instanceof SendConfig.Stdin && Terminal.interactive()) {
            err.println("Reading NDJSON requests from stdin; end with Ctrl-D.");
            err.flush();
        }
        SendRun run = SendRun.prepare(config, System.in, err);
        AtomicBoolean finished = new AtomicBoolean();
        // Ctrl-C: the JVM exits after its hooks; say what was done so far instead of nothing
        Thread interrupted = new Thread(() -> {
            if (!finished.get()) {
                out.println("interrupted; so far:");
                out.print(SummaryText.render(run.snapshot()));
                out.flush();
            }
        }, "send-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        Summary summary;
        try {
            summary = run.execute();
        } catch (SendException e) {
            err.println("send: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            finished.set(true);
            removeHook(interrupted);
        }
        out.print(SummaryText.render(summary));
        out.flush();
        if (report != null && !writeReport(summary, err)) {
            return 1;
        }
        return summary.exitCode();
    }

    /** The options as a validated config; a bad combination or value is a usage error (exit 2). */
    SendConfig config() {
        boolean generatorOptions = payload != null || count != null || keys != null || deadline != null;
        if (type != null && file != null) {
            throw new ParameterException(spec.commandLine(), "--file and --type exclude each other: read requests or generate them");
        }
        if (type == null && generatorOptions) {
            throw new ParameterException(spec.commandLine(), "--payload, --count, --keys and --deadline need --type");
        }
        try {
            SendConfig.Source source = type != null
                    ? new SendConfig.Generated(type, GeneratedSource.parsePayload(payload), count != null ? count : 1,
                            keys != null ? keys : 0, deadline)
                    : file == null || file.equals("-") ? new SendConfig.Stdin() : new SendConfig.NdjsonFile(Path.of(file));
            SendConfig.Target target = direct ? new SendConfig.Direct(kafka.settings()) : new SendConfig.Ingest(url);
            return new SendConfig(source, client != null ? client : SendConfig.randomClient(), target, replyUrl, authToken,
                    rate, concurrency, !noWait, timeout, retries, !noProgress && Terminal.interactive());
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs and sees the run finished
        }
    }

    private boolean writeReport(Summary summary, PrintWriter err) {
        try {
            Files.write(report, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(summary));
            return true;
        } catch (IOException e) {
            err.println("send: cannot write the report " + report + ": " + e.getMessage());
            err.flush();
            return false;
        }
    }
}
