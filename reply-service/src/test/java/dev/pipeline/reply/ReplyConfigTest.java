package dev.pipeline.reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.runtime.ConfigException;
import dev.pipeline.reply.store.Dialect;

class ReplyConfigTest {

    private final ReplyConfig defaults = ReplyConfig.defaults(KafkaSettings.local("127.0.0.1:9092"));

    private static void assertRejected(Runnable build, String setting) {
        assertThatThrownBy(build::run).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.setting()).isEqualTo(setting));
    }

    @Test
    void theDefaultsRunLocallyOnSqliteUnderData() {
        assertThat(defaults.host()).isEqualTo("127.0.0.1");
        assertThat(defaults.port()).isEqualTo(8081);
        assertThat(defaults.storeUrl()).isEqualTo("jdbc:sqlite:data/replies.db");
        assertThat(defaults.store().dialect()).isEqualTo(Dialect.SQLITE);
        assertThat(defaults.groupId()).isEqualTo("pipeline-reply");
        assertThat(defaults.maxWait()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.authToken()).isNull();
    }

    @Test
    void aPostgresqlUrlSelectsPostgresql() {
        ReplyConfig config = defaults.withStore("jdbc:postgresql://db:5432/replies", "app", "secret");

        assertThat(config.store().dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(config.toString()).doesNotContain("secret");
    }

    @Test
    void badSettingsAreNamed() {
        assertRejected(() -> defaults.withPort(70_000), "port");
        assertRejected(() -> defaults.withStore("jdbc:mysql://db/replies", null, null), "store");
        assertRejected(() -> defaults.withStore("jdbc:sqlite::memory:", null, null), "store");
        assertRejected(() -> defaults.withStore("jdbc:postgresql://db/r?reWriteBatchedInserts=true", null, null), "store");
        assertRejected(() -> defaults.withGroupId(" "), "group");
        assertRejected(() -> defaults.withWaiting(Duration.ZERO, 10, Duration.ofSeconds(15)), "max wait");
        assertRejected(() -> defaults.withWaiting(Duration.ofSeconds(60), 0, Duration.ofSeconds(15)), "max waiters");
        assertRejected(() -> defaults.withAuthToken("two words"), "auth token");
    }

    @Test
    void passwordsInTheUrlAreHiddenWhenShown() {
        ReplyConfig config = defaults.withStore("jdbc:postgresql://db/replies?user=app&password=hunter2&ssl=true", null, null);

        assertThat(config.store().redactedUrl()).isEqualTo("jdbc:postgresql://db/replies?user=app&password=***&ssl=true");
        assertThat(config.toString()).doesNotContain("hunter2");
    }

    @Test
    void aBlankTokenMeansNoAuthentication() {
        assertThat(defaults.withAuthToken("  ").authToken()).isNull();
    }
}
