package dev.pipeline.ingest;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.pipeline.core.kafka.KafkaOptions;
import dev.pipeline.core.runtime.Durations;
import dev.pipeline.core.runtime.ServiceRunner;

/**
 * {@code pipeline ingest}: runs the ingest service until SIGTERM or Ctrl-C. Flags win over
 * environment variables, which win over the defaults.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        header = "Run the ingest service: HTTP requests in, the requests topic out.",
        description = {
            "Run the ingest service: POST /v1/requests (JSON) and /v1/requests/batch (NDJSON) are",
            "answered 202 once Kafka has the request, with the URL to fetch its reply from."
        })
public final class IngestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "${env:PIPELINE_INGEST_HOST:-127.0.0.1}",
            description = "Address to listen on; 0.0.0.0 in a container (env PIPELINE_INGEST_HOST; default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:PIPELINE_INGEST_PORT:-8080}",
            description = "HTTP port; 0 picks a free one (env PIPELINE_INGEST_PORT; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-body-bytes", paramLabel = "N", defaultValue = "${env:PIPELINE_INGEST_MAX_BODY_BYTES:-1048576}",
            description = "Largest request body, a whole batch included; larger get 413 (env PIPELINE_INGEST_MAX_BODY_BYTES; default: ${DEFAULT-VALUE}).")
    int maxBodyBytes;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "${env:PIPELINE_INGEST_MAX_IN_FLIGHT:-10000}",
            description = "Requests waiting for Kafka at once; more get 429 (env PIPELINE_INGEST_MAX_IN_FLIGHT; default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--send-timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
            defaultValue = "${env:PIPELINE_INGEST_SEND_TIMEOUT:-5s}",
            description = "How long Kafka may take to acknowledge a request before it gets 503 (env PIPELINE_INGEST_SEND_TIMEOUT; default: ${DEFAULT-VALUE}).")
    Duration sendTimeout;

    @Option(names = "--reply-base-url", paramLabel = "URL", defaultValue = "${env:PIPELINE_REPLY_BASE_URL:-http://127.0.0.1:8081}",
            description = "The reply service's URL, for the replyUrl of each answer (env PIPELINE_REPLY_BASE_URL; default: ${DEFAULT-VALUE}).")
    String replyBaseUrl;

    @Option(names = "--auth-token", paramLabel = "TOKEN", defaultValue = "${env:PIPELINE_AUTH_TOKEN}",
            description = "When set, /v1 routes need 'Authorization: Bearer TOKEN' (env PIPELINE_AUTH_TOKEN).")
    String authToken;

    @Option(names = "--plugins-dir", paramLabel = "DIR", defaultValue = "${env:PIPELINE_PLUGINS_DIR:-plugins}",
            description = "Folder of handler plug-in jars whose types are accepted (env PIPELINE_PLUGINS_DIR; default: ${DEFAULT-VALUE}).")
    Path pluginsDir;

    @Option(names = "--create-topics", negatable = true, defaultValue = "${env:PIPELINE_CREATE_TOPICS:-true}", fallbackValue = "true",
            description = "Create missing topics at start-up; --no-create-topics where an operator manages them (env PIPELINE_CREATE_TOPICS; default: ${DEFAULT-VALUE}).")
    boolean createTopics;

    @Option(names = "--startup-timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
            defaultValue = "${env:PIPELINE_STARTUP_TIMEOUT:-30s}",
            description = "How long start-up waits for Kafka to create the topics (env PIPELINE_STARTUP_TIMEOUT; default: ${DEFAULT-VALUE}).")
    Duration startupTimeout;

    @Override
    public Integer call() throws InterruptedException {
        IngestConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        AtomicReference<IngestService> service = new AtomicReference<>();
        ServiceRunner.runUntilShutdown("ingest", () -> {
            service.set(new IngestService(config));
            return service.get();
        }, () -> {
            out.println("ingest listening on http://" + config.host() + ":" + service.get().port());
            out.flush();
        });
        return 0;
    }

    /** The validated settings; throws {@link dev.pipeline.core.runtime.ConfigException} naming a bad one. */
    IngestConfig config() {
        return new IngestConfig(host, port, maxBodyBytes, maxInFlight, sendTimeout, replyBaseUrl,
                authToken == null || authToken.isEmpty() ? null : authToken, pluginsDir, createTopics,
                startupTimeout, kafka.settings());
    }
}
