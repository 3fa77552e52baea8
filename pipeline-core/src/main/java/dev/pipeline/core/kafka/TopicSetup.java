package dev.pipeline.core.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline's topics at start-up when they are missing. An existing topic is never
 * recreated: one with fewer partitions than configured is reported and used as it is.
 */
public final class TopicSetup {

    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {
    }

    /** What {@link #ensure} found: topics it created and existing topics smaller than configured. */
    public record Result(List<String> created, Map<String, Integer> fewerPartitions) {
    }

    /** Describes the topics; one just created may be unknown to parts of the broker for a moment. */
    private static Map<String, TopicDescription> describe(Admin admin, List<String> topics, long timeoutSeconds)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            try {
                return admin.describeTopics(topics).allTopicNames().get(timeoutSeconds, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Makes sure the pipeline's topics exist; waits up to {@code timeoutSeconds} for the broker.
     *
     * @throws IllegalStateException if Kafka cannot be reached or refuses
     */
    public static Result ensure(Admin admin, KafkaSettings settings, long timeoutSeconds) {
        List<String> wanted = settings.topics().all();
        try {
            Set<String> existing = admin.listTopics().names().get(timeoutSeconds, TimeUnit.SECONDS);
            List<String> created = new ArrayList<>();
            for (String topic : wanted) {
                if (existing.contains(topic)) {
                    continue;
                }
                try {
                    admin.createTopics(List.of(new NewTopic(topic, Optional.of(settings.partitions()),
                            Optional.of(settings.replicationFactor())))).all().get(timeoutSeconds, TimeUnit.SECONDS);
                    created.add(topic);
                    log.info("created topic {} ({} partitions, replication {})", topic, settings.partitions(), settings.replicationFactor());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e; // another service creating it at the same moment is fine
                    }
                }
            }
            Map<String, Integer> fewer = new java.util.TreeMap<>();
            Map<String, TopicDescription> described = describe(admin, wanted, timeoutSeconds);
            described.forEach((topic, description) -> {
                int partitions = description.partitions().size();
                if (partitions < settings.partitions()) {
                    fewer.put(topic, partitions);
                    log.warn("topic {} has {} partitions, fewer than the {} configured; it is used as it is "
                            + "(add partitions with kafka-topics --alter if you need more)", topic, partitions, settings.partitions());
                }
            });
            return new Result(List.copyOf(created), Map.copyOf(fewer));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot set up topics " + wanted + " on " + settings.bootstrapServers()
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + settings.bootstrapServers() + " did not answer within "
                    + timeoutSeconds + " s while setting up topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up topics", e);
        }
    }
}
