package dev.pipeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pipeline.core.kafka.KafkaEnvironment;

class BrokerSourcesTest {

    @Test
    void containerVariablesNameTheBrokerPropertiesTheWayTheOfficialImageReadsThem() {
        Map<String, String> properties = Map.of(
                "share.coordinator.state.topic.replication.factor", "1",
                "group.consumer.session.timeout.ms", "10000",
                "listener.name.internal_listener.sasl-mechanism", "PLAIN");

        Map<String, String> environment = BrokerSources.containerEnvironment(properties);

        assertThat(environment).containsEntry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_LISTENER_NAME_INTERNAL__LISTENER_SASL___MECHANISM", "PLAIN")
                .hasSize(3);
        // and back, as the image (and ./pipeline broker) turns variables into properties
        assertThat(KafkaEnvironment.brokerProperties(environment)).isEqualTo(properties);
    }
}
