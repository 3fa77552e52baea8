package dev.pipeline.testkit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The broker a test runs against, shared by every test in the JVM. Tests isolate themselves by
 * name: {@link #uniqueTopic} and {@link #uniqueName} never return the same name twice.
 */
public final class KafkaBroker {

    /** Where the broker came from. */
    public enum Kind {
        /** named by {@code KAFKA_BOOTSTRAP_SERVERS}; outlives the tests */
        EXTERNAL,
        /** Testcontainers' Kafka container */
        TESTCONTAINERS,
        /** this project's embedded KRaft broker, in the test JVM */
        EMBEDDED
    }

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String bootstrapServers;
    private final Kind kind;

    KafkaBroker(String bootstrapServers, Kind kind) {
        this.bootstrapServers = bootstrapServers;
        this.kind = kind;
    }

    /** {@code host:port[,host:port...]} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Kind kind() {
        return kind;
    }

    /** A map with {@code bootstrap.servers} set, to add a client's own settings to. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** A name no other call in this JVM (nor, with high probability, any earlier run) returns. */
    public String uniqueName(String base) {
        String random = UUID.randomUUID().toString().substring(0, 8);
        return base + "-" + random + "-" + SEQUENCE.incrementAndGet();
    }

    /** A fresh topic name; the topic itself is not created. */
    public String uniqueTopic(String base) {
        return uniqueName(base);
    }

    /** Creates a fresh topic with replication factor 1 and returns its name. */
    public String createTopic(String base, int partitions) {
        String name = uniqueTopic(base);
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())))
                    .all().get(30, TimeUnit.SECONDS);
            // metadata reaches the broker's cache asynchronously; wait until it lists the topic
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(name)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + name + " was created but is not listed");
                }
                Thread.onSpinWait();
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name + " on " + bootstrapServers, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
        return name;
    }

    /** A new admin client; the caller closes it. */
    public Admin admin() {
        return Admin.create(clientConfig());
    }

    /** The names of the topics on the broker (internal topics excluded). */
    public Set<String> topics() {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics on " + bootstrapServers, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        }
    }

    /**
     * Every record of {@code topic} up to its current end (for read_committed: up to the last
     * stable offset), partition by partition in offset order. Re-reads from the start on each
     * call: for tests, not for big topics.
     */
    public List<ConsumerRecord<byte[], byte[]>> records(String topic, boolean readCommitted) {
        return TopicRecords.readAll(bootstrapServers, topic, readCommitted);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + " broker at " + bootstrapServers;
    }
}
