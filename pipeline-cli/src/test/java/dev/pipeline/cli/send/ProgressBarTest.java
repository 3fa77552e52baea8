package dev.pipeline.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private final PacerTest.FakeTicker ticker = new PacerTest.FakeTicker();

    @Test
    void showsABarWhenTheTotalIsKnownWithCountsAndRate() {
        ProgressBar bar = new ProgressBar(new Stats(), OptionalLong.of(100), new PrintWriter(new StringWriter()), ticker);
        bar.start();
        try {
            ticker.advanceMillis(1_000);
            assertThat(bar.render(50, 48, 40, ticker.now))
                    .isEqualTo("[############............] 50/100 sent, 48 accepted, 40 replied, 50/s");
        } finally {
            bar.close();
        }
    }

    @Test
    void withoutATotalShowsCountsOnly() {
        ProgressBar bar = new ProgressBar(new Stats(), OptionalLong.empty(), new PrintWriter(new StringWriter()), ticker);
        long start = ticker.now;
        bar.start();
        try {
            String line = bar.render(7, 7, 3, start + TimeUnit.MILLISECONDS.toNanos(500));
            assertThat(line).isEqualTo("7 sent, 7 accepted, 3 replied, 14/s");
        } finally {
            bar.close();
        }
    }

    @Test
    void messagesGoOnTheirOwnLineAndClosingIsIdempotent() {
        StringWriter out = new StringWriter();
        ProgressBar bar = new ProgressBar(new Stats(), OptionalLong.empty(), new PrintWriter(out), ticker);
        bar.start();
        bar.message("line 3: not valid JSON (skipped)");
        bar.close();
        bar.close();

        assertThat(out.toString()).isEqualTo("line 3: not valid JSON (skipped)" + System.lineSeparator());
    }
}
