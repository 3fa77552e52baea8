package dev.pipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.runtime.ConfigException;

class IngestConfigTest {

    private final IngestConfig defaults = IngestConfig.defaults(KafkaSettings.local("127.0.0.1:9092"));

    @Test
    void defaultsAreLocalAndSafe() {
        assertThat(defaults.host()).isEqualTo("127.0.0.1");
        assertThat(defaults.port()).isEqualTo(8080);
        assertThat(defaults.maxBodyBytes()).isEqualTo(1 << 20);
        assertThat(defaults.sendTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.authToken()).isNull();
    }

    @Test
    void dropsATrailingSlashFromTheReplyBaseUrl() {
        IngestConfig config = new IngestConfig("0.0.0.0", 0, 10, 1, Duration.ofSeconds(1), "http://reply:8081/",
                null, defaults.pluginsDir(), false, Duration.ofSeconds(1), defaults.kafka());

        assertThat(config.replyBaseUrl()).isEqualTo("http://reply:8081");
    }

    @Test
    void namesTheBadSetting() {
        assertThatThrownBy(() -> defaults.withPort(70_000))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("port"));
        assertThatThrownBy(() -> defaults.withLimits(0, 1))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("max body bytes"));
        assertThatThrownBy(() -> defaults.withLimits(10, 0))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("max in flight"));
        assertThatThrownBy(() -> defaults.withTimeouts(Duration.ofMillis(10), Duration.ofSeconds(1)))
                .hasMessage("send timeout must be between PT0.1S and PT5M (got PT0.01S)");
        assertThatThrownBy(() -> defaults.withAuthToken(" "))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("auth token"));
        assertThatThrownBy(() -> new IngestConfig("127.0.0.1", 0, 10, 1, Duration.ofSeconds(1), "ftp://x", null,
                defaults.pluginsDir(), false, Duration.ofSeconds(1), defaults.kafka()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo("reply base url"));
    }

    @Test
    void neverShowsTheTokenInText() {
        assertThat(defaults.withAuthToken("s3cret").toString()).doesNotContain("s3cret").contains("authToken=(set)");
    }
}
