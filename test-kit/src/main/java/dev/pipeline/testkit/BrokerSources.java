package dev.pipeline.testkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import dev.pipeline.kafka.embedded.EmbeddedKafka;

/** Starts the test JVM's broker from the first source that applies; see {@link KafkaBrokerExtension}. */
final class BrokerSources {

    static final String BROKER_PROPERTY = "pipeline.test.broker";
    static final String IMAGE_PROPERTY = "pipeline.test.kafka.image";
    static final String DEFAULT_KAFKA_IMAGE = "apache/kafka:4.4.0";
    static final String BOOTSTRAP_VARIABLE = "KAFKA_BOOTSTRAP_SERVERS";

    private static final Logger log = LoggerFactory.getLogger(BrokerSources.class);

    /**
     * Broker settings that make group tests quick: heartbeats and assignments every 0.5 s instead
     * of 5 s, and one partition for each internal topic instead of 50.
     */
    static final Map<String, String> FAST_TEST_SETTINGS = Map.of(
            "group.consumer.heartbeat.interval.ms", "500",
            "group.consumer.min.heartbeat.interval.ms", "500",
            "group.share.heartbeat.interval.ms", "500",
            "group.share.min.heartbeat.interval.ms", "500",
            "group.consumer.assignment.interval.ms", "0",
            "group.share.assignment.interval.ms", "0",
            "offsets.topic.num.partitions", "1",
            "transaction.state.log.num.partitions", "1",
            "share.coordinator.state.topic.num.partitions", "1");

    /**
     * What the embedded broker has by default and Testcontainers' container lacks, so tests see
     * the same broker either way: share groups need their state topic on one replica, and a
     * killed group member's partitions move after 10 s instead of 45 s.
     */
    static final Map<String, String> CONTAINER_SETTINGS = Map.of(
            "share.coordinator.state.topic.replication.factor", "1",
            "share.coordinator.state.topic.min.isr", "1",
            "group.consumer.min.session.timeout.ms", "6000",
            "group.consumer.session.timeout.ms", "10000",
            "group.share.min.session.timeout.ms", "6000",
            "group.share.session.timeout.ms", "10000");

    private BrokerSources() {
    }

    /** A broker and what must be closed to stop it (nothing for an external one). */
    record Running(KafkaBroker broker, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (resource != null) {
                log.info("stopping the test {}", broker);
                resource.close();
            }
        }
    }

    static Running start() {
        String external = System.getenv(BOOTSTRAP_VARIABLE);
        if (external != null && !external.isBlank()) {
            KafkaBroker broker = new KafkaBroker(external.trim(), KafkaBroker.Kind.EXTERNAL);
            log.info("tests use the {} ({} is set)", broker, BOOTSTRAP_VARIABLE);
            return new Running(broker, null);
        }
        if ("testcontainers".equalsIgnoreCase(System.getProperty(BROKER_PROPERTY, "").trim())) {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return startContainer();
            }
            log.warn("-D{}=testcontainers, but no Docker engine answers: using the embedded broker", BROKER_PROPERTY);
        }
        return startEmbedded();
    }

    private static Running startContainer() {
        DockerImageName image = DockerImageName.parse(System.getProperty(IMAGE_PROPERTY, DEFAULT_KAFKA_IMAGE))
                .asCompatibleSubstituteFor("apache/kafka");
        KafkaContainer container = new KafkaContainer(image)
                .withEnv(containerEnvironment(CONTAINER_SETTINGS))
                .withEnv(containerEnvironment(FAST_TEST_SETTINGS))
                .withStartupTimeout(Duration.ofMinutes(2));
        container.start();
        KafkaBroker broker = new KafkaBroker(container.getBootstrapServers(), KafkaBroker.Kind.TESTCONTAINERS);
        log.info("tests use the {} (image {})", broker, image);
        return new Running(broker, container);
    }

    /**
     * Broker properties as the variables the apache/kafka image reads: {@code KAFKA_} and the
     * name in capitals, '.' as '_', '_' as '__' and '-' as '___'.
     */
    static Map<String, String> containerEnvironment(Map<String, String> properties) {
        Map<String, String> environment = new HashMap<>();
        properties.forEach((name, value) -> environment.put("KAFKA_" + name.toUpperCase(Locale.ROOT)
                .replace("_", "__")
                .replace("-", "___")
                .replace('.', '_'), value));
        return environment;
    }

    private static Running startEmbedded() {
        EmbeddedKafka kafka = EmbeddedKafka.builder().properties(FAST_TEST_SETTINGS).build().start();
        KafkaBroker broker = new KafkaBroker(kafka.bootstrapServers(), KafkaBroker.Kind.EMBEDDED);
        log.info("tests use the {}", broker);
        return new Running(broker, kafka);
    }
}
