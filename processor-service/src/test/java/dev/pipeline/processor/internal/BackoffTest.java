package dev.pipeline.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void theCeilingDoublesEachRetryUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), bound -> 0);

        assertThat(List.of(backoff.ceiling(1), backoff.ceiling(2), backoff.ceiling(3), backoff.ceiling(4), backoff.ceiling(30)))
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                        Duration.ofMillis(500), Duration.ofMillis(500));
    }

    @Test
    void theDelayIsDrawnUniformlyUpToTheCeilingIncluded() {
        List<Long> bounds = new ArrayList<>();
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), bound -> {
            bounds.add(bound);
            return bound - 1; // the largest value the random source may return
        });

        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(bounds).containsExactly(Duration.ofMillis(200).toNanos() + 1);
    }
}
