package dev.pipeline.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {

    private static final Path DATA = Path.of("/tmp/kafka-data");

    @Test
    void aSingleNodeIsAWholeClusterOnTheGivenPorts() {
        Properties p = BrokerProperties.of("127.0.0.1", 9092, 9093, DATA, Map.of());

        assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
        assertThat(p.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9093");
        assertThat(p.getProperty("transaction.state.log.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("share.coordinator.state.topic.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("log.dirs")).isEqualTo(DATA.toString());
        assertThat(BrokerProperties.bootstrapServers(p)).isEqualTo("127.0.0.1:9092");
        assertThat(BrokerProperties.directories(p)).containsExactly(DATA.toString());
        assertThat(BrokerProperties.controllerListenerName(p)).isEqualTo("CONTROLLER");
    }

    @Test
    void overridesWinOverDefaultsAndListeners() {
        Properties p = BrokerProperties.of("127.0.0.1", 9092, 9093, DATA, Map.of(
                "num.partitions", "6",
                "advertised.listeners", "PLAINTEXT://kafka:19092",
                "metadata.log.dir", "/tmp/meta"));

        assertThat(p.getProperty("num.partitions")).isEqualTo("6");
        assertThat(BrokerProperties.bootstrapServers(p)).isEqualTo("kafka:19092");
        assertThat(BrokerProperties.directories(p)).containsExactly(DATA.toString(), "/tmp/meta");
    }

    @Test
    void aWildcardListenerIsReachedOnLoopback() {
        Properties p = BrokerProperties.of("127.0.0.1", 9092, 9093, DATA, Map.of(
                "listeners", "PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093",
                "advertised.listeners", ""));

        assertThat(BrokerProperties.bootstrapServers(p)).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void refusesAConfigurationWithoutAClientListener() {
        Properties p = BrokerProperties.of("127.0.0.1", 9092, 9093, DATA, Map.of(
                "listeners", "CONTROLLER://127.0.0.1:9093",
                "advertised.listeners", ""));

        assertThatThrownBy(() -> BrokerProperties.bootstrapServers(p))
                .hasMessageContaining("no client listener");
    }
}
