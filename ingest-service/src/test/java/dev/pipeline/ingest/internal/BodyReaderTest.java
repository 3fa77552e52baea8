package dev.pipeline.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;

import org.junit.jupiter.api.Test;

class BodyReaderTest {

    @Test
    void readsABodyUpToTheLimit() throws Exception {
        assertThat(BodyReader.read(() -> new ByteArrayInputStream(new byte[10]), -1, 10)).hasSize(10);
    }

    @Test
    void refusesAChunkedBodyOverTheLimit() {
        assertThatThrownBy(() -> BodyReader.read(() -> new ByteArrayInputStream(new byte[11]), -1, 10))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(413))
                .hasMessage("the body may be at most 10 bytes; the body is longer");
    }

    @Test
    void refusesADeclaredLengthOverTheLimitAfterDrainingWhatTheClientSends() {
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[11]);

        assertThatThrownBy(() -> BodyReader.read(() -> body, 11, 10))
                .hasMessage("the body may be at most 10 bytes; Content-Length is 11 bytes");
        // read and dropped, so a client still writing it gets to read the 413
        assertThat(body.available()).isZero();
    }

    @Test
    void aBodyDeclaredBeyondTheDrainCapIsRefusedWithoutAskingForIt() {
        long huge = BodyReader.MAX_SWALLOW_BYTES + 1;

        assertThatThrownBy(() -> BodyReader.read(() -> {
            throw new AssertionError("opening the body would send 100 Continue");
        }, huge, 10)).hasMessage("the body may be at most 10 bytes; Content-Length is " + huge + " bytes");
    }
}
