package dev.pipeline.ingest;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.javalin.Javalin;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.core.handler.Handlers;
import dev.pipeline.core.kafka.KafkaClients;
import dev.pipeline.core.runtime.ServiceRunner;
import dev.pipeline.ingest.internal.IngestHttp;
import dev.pipeline.ingest.internal.KafkaAdmin;
import dev.pipeline.ingest.internal.Readiness;
import dev.pipeline.ingest.internal.RequestWriter;

/**
 * The ingest service: HTTP in, the requests topic out. The constructor builds the parts;
 * {@link #start()} creates the topics if asked, opens the Kafka clients and then listens;
 * {@link #close()} stops listening, lets requests under way finish, then flushes and closes the
 * clients. Start and close are called by one thread (the main thread, then the shutdown hook).
 */
public final class IngestService implements ServiceRunner.Service {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    /** Load balancers poll readiness often; Kafka is asked at most this often. */
    private static final Duration READINESS_MAX_AGE = Duration.ofSeconds(1);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final IngestConfig config;
    private final KafkaAdmin admin;
    private final RequestWriter writer;
    private final Javalin http;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** With the built-in handler types and those of the jars in {@code config.pluginsDir()}. */
    public IngestService(IngestConfig config) {
        this(config, Handlers.discover(config.pluginsDir()));
    }

    /** With exactly these handler types (their {@code validate} checks payloads). */
    public IngestService(IngestConfig config, Handlers handlers) {
        this.config = config;
        KafkaClients clients = new KafkaClients(config.kafka(), "ingest-" + UUID.randomUUID().toString().substring(0, 8));
        this.admin = new KafkaAdmin(clients, PROBE_TIMEOUT);
        this.writer = new RequestWriter(clients, config.kafka().topics().requests(), config.sendTimeout(),
                config.maxInFlight());
        Readiness readiness = new Readiness(admin::probe, READINESS_MAX_AGE, System::nanoTime);
        // a request under way waits at most about two send timeouts (metadata, then delivery)
        Duration drainTimeout = config.sendTimeout().multipliedBy(2).plusSeconds(2);
        this.http = IngestHttp.create(new IngestHttp.Parts(config.host(), config.port(), config.maxBodyBytes(),
                config.sendTimeout(), config.replyBaseUrl(), config.authToken(), handlers, writer, readiness), drainTimeout);
    }

    /**
     * @throws IllegalStateException            when topics are to be created and Kafka does not
     *                                          answer within the start-up timeout
     * @throws io.javalin.util.JavalinException when the HTTP port cannot be bound
     */
    @Override
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the ingest service was already started");
        }
        admin.start();
        if (config.createTopics()) {
            log.info("waiting up to {} s for Kafka at {} to set up the topics", config.startupTimeout().toSeconds(),
                    config.kafka().bootstrapServers());
            admin.ensureTopics(config.startupTimeout());
        }
        writer.start();
        if (config.createTopics()) {
            warmUp();
        }
        http.start();
        log.info("ingest listening on http://{}:{}, writing to {}", config.host(), port(),
                config.kafka().topics().requests());
    }

    /** The bound HTTP port: the configured one, or the one picked for port 0. */
    public int port() {
        return http.port();
    }

    /** Sends waiting for the broker; for metrics and tests. */
    public int inFlight() {
        return writer.inFlight();
    }

    /** Stops in reverse order of start, each step on its own so one failure does not skip the rest. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (started.get()) {
            try {
                http.stop(); // refuses new connections, waits up to drainTimeout for requests under way
            } catch (RuntimeException e) {
                log.warn("HTTP server did not stop cleanly", e);
            }
        }
        try {
            writer.close(config.sendTimeout()); // flushes what is still in flight, then closes
        } catch (RuntimeException e) {
            log.warn("request producer did not close cleanly", e);
        }
        try {
            admin.close();
        } catch (RuntimeException e) {
            log.warn("admin client did not close cleanly", e);
        }
    }

    private void warmUp() {
        try {
            writer.warmUp();
        } catch (KafkaException e) {
            // not fatal: the first request will wait for the metadata instead
            log.warn("could not fetch metadata of {} yet: {}", config.kafka().topics().requests(), e.toString());
        }
    }
}
