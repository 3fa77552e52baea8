package dev.pipeline.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ReadinessTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final AtomicInteger probes = new AtomicInteger();
    private final Queue<Optional<String>> verdicts = new ArrayDeque<>(List.of(
            Optional.of("Kafka does not answer"), Optional.empty()));
    private final Readiness readiness = new Readiness(() -> {
        probes.incrementAndGet();
        return verdicts.remove();
    }, Duration.ofSeconds(1), now::get);

    @Test
    void reusesAVerdictWhileItIsFresh() {
        assertThat(readiness.check()).isEqualTo(new Readiness.Status.NotReady("Kafka does not answer"));
        now.addAndGet(Duration.ofMillis(999).toNanos());

        assertThat(readiness.check()).isEqualTo(new Readiness.Status.NotReady("Kafka does not answer"));
        assertThat(probes).hasValue(1);
    }

    @Test
    void probesAgainOnceTheVerdictIsStale() {
        readiness.check();
        now.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(readiness.check()).isEqualTo(new Readiness.Status.Ready());
        assertThat(probes).hasValue(2);
    }
}
