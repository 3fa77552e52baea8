package dev.pipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.pipeline.core.handler.Handlers;
import dev.pipeline.core.handler.builtin.Echo;
import dev.pipeline.core.kafka.KafkaSettings;

class IngestServiceStartupTest {

    @Test
    void startFailsWithAClearMessageWhenKafkaIsUnreachable() {
        String nowhere = ClosedPort.bootstrapServers();
        IngestConfig config = IngestConfig.defaults(KafkaSettings.local(nowhere))
                .withPort(0)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
        long began = System.nanoTime();

        try (IngestService service = new IngestService(config, Handlers.of(new Echo()))) {
            assertThatThrownBy(service::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Kafka at " + nowhere + " did not answer within 1 s while setting up topics");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
    }
}
