package dev.pipeline.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pipeline.core.runtime.ConfigException;

class KafkaClientsTest {

    private final KafkaSettings settings = new KafkaSettings("127.0.0.1:9092", new Topics("p."), 3, (short) 1,
            Map.of("security.protocol", "SASL_SSL", "enable.auto.commit", "true"));

    @Test
    void passThroughPropertiesReachEveryClientButRoleSettingsWin() {
        KafkaClients clients = new KafkaClients(settings, "test");

        Map<String, Object> config = clients.configFor("replies-consumer", Map.of("enable.auto.commit", false));

        assertThat(config)
                .containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("enable.auto.commit", false);
        assertThat((String) config.get("client.id")).startsWith("test-replies-consumer-");
    }

    @Test
    void badSettingsNameTheSetting() {
        assertThatThrownBy(() -> new KafkaSettings("nohostport", new Topics("p."), 3, (short) 1, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("bootstrap servers must be host:port");
        assertThatThrownBy(() -> new KafkaSettings("a:1", new Topics("p."), 0, (short) 1, Map.of()))
                .hasMessageStartingWith("partitions must be between 1 and 10000");
        assertThatThrownBy(() -> new Topics("bad prefix"))
                .hasMessageStartingWith("topic prefix must be");
    }

    @Test
    void topicNamesShareThePrefix() {
        assertThat(new Topics("pipeline.").all()).containsExactly("pipeline.requests", "pipeline.replies", "pipeline.dlq");
    }
}
