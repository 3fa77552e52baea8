package dev.pipeline.ingest.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypesTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "Application/JSON", "application/json; charset=utf-8",
        "application/json;charset=\"UTF-8\"", "application/json; foo=bar"})
    void acceptsJsonWithAnOptionalUtf8Charset(String contentType) {
        assertThatCode(() -> MediaTypes.require(contentType, MediaTypes.JSON)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "null                                | Content-Type is missing; send application/json",
        "text/plain                          | Content-Type text/plain is not supported here; send application/json",
        "application/x-ndjson                | Content-Type application/x-ndjson is not supported here; send application/json",
        "application/json; charset=latin1    | charset latin1 is not supported; send UTF-8",
    })
    void refusesOtherMediaTypesWith415(String contentType, String detail) {
        assertThatThrownBy(() -> MediaTypes.require(contentType, MediaTypes.JSON))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.problem().status()).isEqualTo(415);
                    org.assertj.core.api.Assertions.assertThat(e.problem().detail()).isEqualTo(detail);
                });
    }
}
