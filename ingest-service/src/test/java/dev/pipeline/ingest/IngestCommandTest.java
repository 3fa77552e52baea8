package dev.pipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IngestCommandTest {

    @Test
    void flagsBecomeTheConfig() {
        IngestCommand command = new IngestCommand();
        new CommandLine(command).parseArgs("--host", "0.0.0.0", "--port", "0", "--max-body-bytes", "2048",
                "--max-in-flight", "3", "--send-timeout", "750ms", "--reply-base-url", "http://reply:9000/",
                "--auth-token", "t0k", "--plugins-dir", "/opt/plugins", "--no-create-topics",
                "--startup-timeout", "1m", "--bootstrap-servers", "kafka:9092", "--topic-prefix", "x.");

        IngestConfig config = command.config();

        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isZero();
        assertThat(config.maxBodyBytes()).isEqualTo(2048);
        assertThat(config.maxInFlight()).isEqualTo(3);
        assertThat(config.sendTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(config.replyBaseUrl()).isEqualTo("http://reply:9000");
        assertThat(config.authToken()).isEqualTo("t0k");
        assertThat(config.pluginsDir()).isEqualTo(Path.of("/opt/plugins"));
        assertThat(config.createTopics()).isFalse();
        assertThat(config.startupTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.kafka().topics().requests()).isEqualTo("x.requests");
    }

    @Test
    void createsTopicsByDefault() {
        IngestCommand command = new IngestCommand();
        new CommandLine(command).parseArgs("--bootstrap-servers", "kafka:9092");

        assertThat(command.config().createTopics()).isTrue();
    }
}
