package dev.pipeline.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** Option parsing and usage errors; nothing is sent (no service is reachable in these tests). */
class SendCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new SendCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static SendConfig parse(String... args) {
        SendCommand command = new SendCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }

    @Test
    void helpListsTheOptionsWithTheirDefaults() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString())
                .contains("Usage: send")
                .contains("--rate=N", "--concurrency=N", "default: 64")
                .contains("--url=URL", "http://127.0.0.1:8080")
                .contains("--reply-url=URL", "http://127.0.0.1:8081")
                .contains("--timeout=DURATION", "default: 60s")
                .contains("--direct", "--bootstrap-servers", "--no-wait", "--report=FILE");
    }

    @Test
    void generatorOptionsBecomeAGeneratedSource() {
        SendConfig config = parse("--type", "fib", "--payload", "25", "--count", "10000", "--keys", "100",
                "--rate", "500", "--concurrency", "8", "--timeout", "90s", "--client", "me");

        assertThat(config.source()).isEqualTo(new SendConfig.Generated("fib",
                GeneratedSource.parsePayload("25"), 10_000, 100, null));
        assertThat(config.client()).isEqualTo("me");
        assertThat(config.rate()).isEqualTo(500);
        assertThat(config.concurrency()).isEqualTo(8);
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.awaitReplies()).isTrue();
        assertThat(config.target()).isInstanceOf(SendConfig.Ingest.class);
    }

    @Test
    void withoutFileOrTypeTheRequestsComeFromStdinUnderARandomClient() {
        SendConfig config = parse("--no-wait");

        assertThat(config.source()).isEqualTo(new SendConfig.Stdin());
        assertThat(config.client()).matches("cli-[0-9a-f]{8}");
        assertThat(config.awaitReplies()).isFalse();
        assertThat(parse("--file", "-").source()).isEqualTo(new SendConfig.Stdin());
    }

    @Test
    void directModeTakesTheKafkaOptions() {
        SendConfig config = parse("--direct", "--bootstrap-servers", "broker:9093", "--topic-prefix", "t.", "--type", "echo");

        SendConfig.Direct direct = (SendConfig.Direct) config.target();
        assertThat(direct.kafka().bootstrapServers()).isEqualTo("broker:9093");
        assertThat(direct.kafka().topics().requests()).isEqualTo("t.requests");
    }

    @Test
    void fileAndTypeTogetherAreAUsageError() {
        assertThat(run("--file", "x.ndjson", "--type", "echo")).isEqualTo(2);
        assertThat(err.toString()).contains("--file and --type exclude each other");
    }

    @Test
    void generatorOptionsWithoutTypeAreAUsageError() {
        assertThat(run("--count", "5")).isEqualTo(2);
        assertThat(err.toString()).contains("--payload, --count, --keys and --deadline need --type");
    }

    @Test
    void aBadValueIsAUsageErrorNamingTheOption() {
        assertThat(run("--type", "echo", "--rate", "-5")).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains("--rate must be between 0 (no limit) and 10000000 per second (got -5.0)");
    }

    @Test
    void aBadDurationIsAUsageError() {
        assertThat(run("--type", "echo", "--timeout", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(dev.pipeline.core.runtime.Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(dev.pipeline.core.runtime.Durations.parse("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(dev.pipeline.core.runtime.Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(dev.pipeline.core.runtime.Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(dev.pipeline.core.runtime.Durations.parse("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aMissingFileIsExit1WithAMessage() {
        assertThat(run("--file", "does-not-exist.ndjson", "--no-wait", "--url", "http://127.0.0.1:1")).isEqualTo(1);
        assertThat(err.toString()).contains("send: ");
    }
}
