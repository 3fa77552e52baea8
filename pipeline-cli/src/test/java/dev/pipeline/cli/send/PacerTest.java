package dev.pipeline.cli.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class PacerTest {

    /** Time moves only when the pacer sleeps or the test says so. */
    static final class FakeTicker implements Ticker {
        long now = TimeUnit.SECONDS.toNanos(1000);

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
        }

        void advanceMillis(long millis) {
            now += TimeUnit.MILLISECONDS.toNanos(millis);
        }
    }

    private final FakeTicker ticker = new FakeTicker();

    @Test
    void spacesPermitsEvenlyAtTheRate() throws InterruptedException {
        Pacer pacer = Pacer.of(100, ticker);
        long start = ticker.now;
        List<Long> at = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pacer.acquire();
            at.add(TimeUnit.NANOSECONDS.toMillis(ticker.now - start));
        }

        assertThat(at).containsExactly(0L, 10L, 20L, 30L, 40L);
    }

    @Test
    void aFractionalRateKeepsItsAverage() throws InterruptedException {
        Pacer pacer = Pacer.of(3, ticker);
        long start = ticker.now;
        for (int i = 0; i < 31; i++) {
            pacer.acquire();
        }

        // 31 permits at 3/s: the last one 10 s after the first
        assertThat(ticker.now - start).isBetween(TimeUnit.MILLISECONDS.toNanos(9_999), TimeUnit.MILLISECONDS.toNanos(10_001));
    }

    @Test
    void doesNotBurstToCatchUpAfterAStall() throws InterruptedException {
        Pacer pacer = Pacer.of(100, ticker);
        pacer.acquire();
        ticker.advanceMillis(1_000); // blocked elsewhere for a second: 100 slots missed

        long resumed = ticker.now;
        pacer.acquire();
        assertThat(ticker.now).as("the first send after a stall goes at once").isEqualTo(resumed);
        pacer.acquire();
        assertThat(ticker.now - resumed).as("the next waits almost a full interval, no burst")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(10) - Pacer.CATCH_UP_NANOS);
        pacer.acquire();
        assertThat(ticker.now - resumed).isEqualTo(TimeUnit.MILLISECONDS.toNanos(20) - Pacer.CATCH_UP_NANOS);
    }

    @Test
    void makesUpOnlyALittleWakeUpJitter() {
        Pacer pacer = Pacer.of(100_000, ticker); // one permit every 10 µs
        long now = ticker.now;
        assertThat(pacer.reserve(now)).isZero();
        // woke 50 µs late: the 5 missed slots go back to back, the rate holds
        now += TimeUnit.MICROSECONDS.toNanos(60);
        for (int i = 0; i < 5; i++) {
            assertThat(pacer.reserve(now)).isNegative();
        }
        assertThat(pacer.reserve(now)).isZero();
        assertThat(pacer.reserve(now)).isEqualTo(TimeUnit.MICROSECONDS.toNanos(10));
    }

    @Test
    void rateZeroNeverWaits() throws InterruptedException {
        Pacer pacer = Pacer.of(0, ticker);
        long start = ticker.now;
        for (int i = 0; i < 1_000; i++) {
            pacer.acquire();
        }

        assertThat(ticker.now).isEqualTo(start);
    }

    @Test
    void aNegativeRateIsRefused() {
        assertThatThrownBy(() -> Pacer.of(-1, ticker)).hasMessageContaining("rate must be >= 0");
    }
}
