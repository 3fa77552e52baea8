package dev.pipeline.reply.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.pipeline.reply.store.Cursor;

class ParamsTest {

    private static final Duration MAX = Duration.ofSeconds(60);

    @Test
    void waitAcceptsMillisecondsSecondsAndMinutesCappedAtTheMaximum() {
        assertThat(Params.waitFor(null, MAX)).isEqualTo(Duration.ZERO);
        assertThat(Params.waitFor("500ms", MAX)).isEqualTo(Duration.ofMillis(500));
        assertThat(Params.waitFor("30s", MAX)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Params.waitFor("2m", MAX)).isEqualTo(MAX);
        assertThat(Params.waitFor("PT5S", MAX)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aWaitThatIsNotADurationIsABadRequest() {
        assertThatThrownBy(() -> Params.waitFor("soon", MAX))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(400);
                    assertThat(e.problem().detail()).contains("wait").contains("soon");
                });
        assertThatThrownBy(() -> Params.waitFor("PT-5S", MAX)).isInstanceOf(ProblemException.class);
    }

    @Test
    void limitDefaultsTo100AndMustBeFrom1To1000() {
        assertThat(Params.limit(null)).isEqualTo(100);
        assertThat(Params.limit("1")).isEqualTo(1);
        assertThat(Params.limit("1000")).isEqualTo(1000);
        for (String bad : new String[] {"0", "1001", "-3", "ten", ""}) {
            assertThatThrownBy(() -> Params.limit(bad)).as(bad)
                    .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(400));
        }
    }

    @Test
    void cursorsAreTheStringsTheServiceHandsOut() {
        assertThat(Params.cursor("after", null)).isEqualTo(Cursor.START);
        assertThat(Params.cursor("after", "42")).isEqualTo(new Cursor(42));
        assertThat(new Cursor(42).toString()).isEqualTo("42");
        for (String bad : new String[] {"-1", "abc", "1.5", "99999999999999999999"}) {
            assertThatThrownBy(() -> Params.cursor("after", bad)).as(bad)
                    .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().detail()).startsWith("after"));
        }
    }

    @Test
    void anInvalidRequestIdIsABadRequest() {
        assertThatThrownBy(() -> Params.requestId("has space"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(400));
    }

    @Test
    void anEmptyClientMeansEveryClient() {
        assertThat(Params.client(null)).isEmpty();
        assertThat(Params.client("")).isEmpty();
        assertThat(Params.client("alice")).isEqualTo(Optional.of("alice"));
    }
}
