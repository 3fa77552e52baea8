package dev.pipeline.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthFileTest {

    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aHealthyBeatWritesTheTimeInEpochSecondsAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("health");
        try (HealthFile health = new HealthFile(file, Duration.ofSeconds(5), () -> true, Clock.fixed(NOW, ZoneOffset.UTC))) {
            health.beat();

            assertThat(file).hasContent(String.valueOf(NOW.getEpochSecond()));
            try (var files = Files.list(dir)) {
                assertThat(files).containsExactly(file);
            }
        }
    }

    @Test
    void anUnhealthyBeatDeletesTheFileAndAHealthyOneWritesItAgain() throws Exception {
        Path file = dir.resolve("health");
        AtomicBoolean healthy = new AtomicBoolean(true);
        try (HealthFile health = new HealthFile(file, Duration.ofSeconds(5), healthy::get, Clock.fixed(NOW, ZoneOffset.UTC))) {
            health.beat();
            assertThat(file).exists();

            healthy.set(false);
            health.beat();
            assertThat(file).doesNotExist();

            healthy.set(true);
            health.beat();
            assertThat(file).hasContent(String.valueOf(NOW.getEpochSecond()));
        }
    }

    @Test
    void closingDeletesTheFileAndLaterBeatsWriteNothing() throws Exception {
        Path file = dir.resolve("health");
        HealthFile health = new HealthFile(file, Duration.ofSeconds(5), () -> true, Clock.fixed(NOW, ZoneOffset.UTC));
        health.beat();
        assertThat(file).exists();

        health.close();
        assertThat(file).doesNotExist();
        health.beat();
        assertThat(file).doesNotExist();
        health.close(); // idempotent
    }

    @Test
    void onceStartedItKeepsRewritingTheFileWithTheAdvancingTime() {
        Path file = dir.resolve("health");
        Instant[] now = {NOW};
        Clock advancing = new Clock() {
            @Override
            public Instant instant() {
                // each beat reads the clock once: one second later per beat
                Instant current = now[0];
                now[0] = current.plusSeconds(1);
                return current;
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        try (HealthFile health = new HealthFile(file, Duration.ofMillis(20), () -> true, advancing)) {
            health.start();

            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                    assertThat(Long.parseLong(Files.readString(file).trim())).isGreaterThanOrEqualTo(NOW.getEpochSecond() + 3));
        }
        assertThat(file).doesNotExist();
    }
}
