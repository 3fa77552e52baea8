package dev.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class PipelineCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsTheSubcommandsAndTheLauncherCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString())
                .contains("Usage: pipeline")
                .containsPattern("(?m)^\\s+broker\\s+Run a single-node Kafka broker \\(KRaft\\)")
                .containsPattern("(?m)^\\s+test \\[maven args]\\s+Build everything and run all tests");
    }

    @Test
    void brokerHelpShowsItsOptionsWithTheirDefaults() {
        assertThat(run("broker", "--help")).isZero();
        assertThat(out.toString())
                .contains("--port=<port>", "default: 9092")
                .contains("--data-dir=<dataDir>", "default: data/kafka")
                .contains("KAFKA_NUM_PARTITIONS=3");
    }

    @Test
    void noCommandIsAUsageErrorNamingTheChoices() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing command: choose one of [demo, up, send, bench, ingest, processor, reply, broker, check, chaos]");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument at index 0: 'frobnicate'");
    }

    @Test
    void aBadPortIsRejectedBeforeAnythingStarts() {
        assertThat(run("broker", "--port", "70000")).isEqualTo(1);
        assertThat(err.toString()).contains("port must be between 0 and 65535, got 70000");
    }
}
