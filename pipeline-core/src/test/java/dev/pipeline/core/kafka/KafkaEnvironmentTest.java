package dev.pipeline.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KafkaEnvironmentTest {

    @Test
    void mapsVariablesTheWayTheOfficialImageDoes() {
        Map<String, String> env = Map.of(
                "KAFKA_NUM_PARTITIONS", "3",
                "KAFKA_LOG_DIRS", "/var/lib/kafka/data",
                "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "PLAINTEXT:PLAINTEXT",
                "KAFKA_LISTENER_NAME_CONTROLLER_PLAIN_SASL__JAAS_CONFIG", "x",
                "KAFKA_CONFLUENT___SUPPORT", "y");

        assertThat(KafkaEnvironment.brokerProperties(env)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "num.partitions", "3",
                "log.dirs", "/var/lib/kafka/data",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT",
                "listener.name.controller.plain.sasl_jaas.config", "x",
                "confluent-support", "y"));
    }

    @Test
    void clientsTakeTheBootstrapServersAndBrokersDoNot() {
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "KAFKA_SASL_MECHANISM", "PLAIN");

        assertThat(KafkaEnvironment.clientProperties(env))
                .containsExactlyInAnyOrderEntriesOf(Map.of("bootstrap.servers", "kafka:9092", "sasl.mechanism", "PLAIN"));
        assertThat(KafkaEnvironment.brokerProperties(env))
                .containsExactlyInAnyOrderEntriesOf(Map.of("sasl.mechanism", "PLAIN"));
    }

    @Test
    void ignoresJvmVariablesAndEverythingWithoutThePrefix() {
        Map<String, String> env = Map.of(
                "KAFKA_HEAP_OPTS", "-Xmx1g",
                "KAFKA_OPTS", "-Dx=y",
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
                "KAFKA_", "empty name",
                "PATH", "/usr/bin",
                "kafka_lower_case", "no");

        assertThat(KafkaEnvironment.brokerProperties(env)).isEmpty();
    }
}
