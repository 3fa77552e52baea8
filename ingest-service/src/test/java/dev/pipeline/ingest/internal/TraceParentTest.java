package dev.pipeline.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceParentTest {

    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void passesAValidHeaderOnUnchanged() {
        assertThat(TraceParent.fromHeaderOrNew(VALID).value()).isEqualTo(VALID);
    }

    @Test
    void reducesALaterVersionToVersion00() {
        assertThat(TraceParent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra"))
                .map(TraceParent::value)
                .contains("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "garbage",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // zero parent id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // forbidden version
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x", // version 00 has no more fields
    })
    void replacesAnInvalidHeaderWithANewTrace(String header) {
        assertThat(TraceParent.parse(header)).isEmpty();
        assertThat(TraceParent.fromHeaderOrNew(header).value()).isNotEqualTo(header)
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }

    @Test
    void newTracesAreSampledAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String value = TraceParent.random().value();
            assertThat(value).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
            assertThat(TraceParent.parse(value)).isPresent();
            seen.add(value);
        }
        assertThat(seen).hasSize(100);
    }
}
