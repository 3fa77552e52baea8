package dev.pipeline.ingest.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;

import dev.pipeline.core.kafka.KafkaClients;
import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.kafka.TopicSetup;

/**
 * The service's admin client: creates missing topics at start-up and answers the readiness
 * probe. {@link #start()} and {@link #close()} run on the thread that starts and stops the
 * service; {@link #probe()} on request threads, one at a time (see {@link Readiness}).
 */
public final class KafkaAdmin implements AutoCloseable {

    private final KafkaClients clients;
    private final Duration probeTimeout;
    private volatile Admin admin;

    public KafkaAdmin(KafkaClients clients, Duration probeTimeout) {
        this.clients = clients;
        this.probeTimeout = probeTimeout;
    }

    public void start() {
        admin = clients.admin();
    }

    /**
     * Creates the pipeline's topics where missing.
     *
     * @throws IllegalStateException when Kafka does not answer within {@code timeout}
     */
    public void ensureTopics(Duration timeout) {
        TopicSetup.ensure(admin, clients.settings(), Math.max(1, timeout.toSeconds()));
    }

    /** Empty when Kafka answers and the three topics exist, else why not. */
    public Optional<String> probe() {
        KafkaSettings settings = clients.settings();
        Admin current = admin;
        if (current == null) {
            return Optional.of("the service is not running");
        }
        int timeoutMs = (int) probeTimeout.toMillis();
        try {
            current.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
                    .get(timeoutMs + 500L, TimeUnit.MILLISECONDS);
            Set<String> existing = current.listTopics(new ListTopicsOptions().timeoutMs(timeoutMs)).names()
                    .get(timeoutMs + 500L, TimeUnit.MILLISECONDS);
            List<String> missing = new ArrayList<>(settings.topics().all());
            missing.removeAll(existing);
            return missing.isEmpty() ? Optional.empty() : Optional.of("topics " + missing + " do not exist");
        } catch (ExecutionException e) {
            return Optional.of("Kafka at " + settings.bootstrapServers() + " does not answer: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return Optional.of("Kafka at " + settings.bootstrapServers() + " did not answer within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while asking Kafka");
        }
    }

    @Override
    public void close() {
        Admin current = admin;
        if (current != null) {
            admin = null;
            // nothing worth waiting for can be pending: topic set-up is waited for, probes are only reads
            current.close(Duration.ZERO);
        }
    }
}
