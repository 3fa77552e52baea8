package dev.pipeline.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class BatchLinesTest {

    @Test
    void numbersLinesAsInTheBodySkippingBlankOnes() {
        List<BatchLines.Line> lines = split("a\r\n\n  \nb\nc");

        assertThat(lines).extracting(BatchLines.Line::number).containsExactly(1, 4, 5);
        assertThat(lines).extracting(line -> new String(line.bytes(), StandardCharsets.UTF_8)).containsExactly("a", "b", "c");
    }

    @Test
    void aFinalNewlineEndsTheLastLineRatherThanStartingAnother() {
        assertThat(split("{}\n{}\n")).hasSize(2);
    }

    @Test
    void splitsMultiByteCharactersNowhere() {
        assertThat(split("\"é€😀\"\n\"x\"")).extracting(line -> new String(line.bytes(), StandardCharsets.UTF_8))
                .containsExactly("\"é€😀\"", "\"x\"");
    }

    @Test
    void anEmptyBodyHasNoLines() {
        assertThat(split("")).isEmpty();
        assertThat(split("\n\r\n")).isEmpty();
    }

    private static List<BatchLines.Line> split(String body) {
        return BatchLines.split(body.getBytes(StandardCharsets.UTF_8));
    }
}
