package dev.pipeline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.message.Json;
import dev.pipeline.testkit.JavaProcess;

/**
 * {@code pipeline chaos} as a user runs it: its own broker, reply service, three processors and
 * ingest as OS processes, 20,000+ keyed requests, five processor SIGKILLs, one SIGSTOP beyond the
 * session timeout, a broker SIGKILL and restart, a reply-service SIGKILL and restart; then the
 * checker judges the topics and the store. The run's JSON report is read back, so the test sees
 * the faults that really happened, not just the exit code.
 */
class ChaosIT {

    private static final Duration RUN = Duration.ofMinutes(8);

    @Test
    void exactlyOnceSurvivesKillsAPauseAndBrokerAndReplyRestarts(@TempDir Path dir) throws Exception {
        JsonNode report = chaos(dir, "group");

        assertThat(report.path("counts").path("accepted").asLong()).isGreaterThanOrEqualTo(20_000);
        assertThat(report.path("anomalies").path("lost").asLong()).isZero();
        assertThat(report.path("anomalies").path("duplicate replies").asLong()).isZero();
        assertThat(report.path("anomalies").path("duplicate rows").asLong()).isZero();
        assertThat(report.path("anomalies").path("order violations").asLong()).isZero();
        assertThat(report.path("anomalies").path("aborted replies seen").asLong()).isZero();
        assertThat(report.path("counts").path("committedReplies").asLong())
                .isEqualTo(report.path("counts").path("requestRecords").asLong());
    }

    @Test
    void queueModeLosesNothingAndStoresEachReplyOnceUnderTheSameFaults(@TempDir Path dir) throws Exception {
        JsonNode report = chaos(dir, "share");

        assertThat(report.path("counts").path("accepted").asLong()).isGreaterThanOrEqualTo(20_000);
        assertThat(report.path("anomalies").path("lost").asLong()).isZero();
        assertThat(report.path("anomalies").path("duplicate rows").asLong()).isZero();
        assertThat(report.path("anomalies").path("missing from store").asLong()).isZero();
        assertThat(report.path("counts").path("storeRows").asLong()).isEqualTo(report.path("counts").path("accepted").asLong());
    }

    private static JsonNode chaos(Path dir, String mode) throws Exception {
        Path reportFile = dir.resolve("chaos.json");
        List<String> args = new ArrayList<>(List.of("chaos", "--mode", mode, "--requests", "20000", "--rate", "250",
                "--kills", "5", "--pause", "15s", "--dir", dir.resolve("run").toString(), "--report", reportFile.toString()));
        JavaProcess chaos = JavaProcess.startJar("chaos-" + mode, Services.JAR, args, dir, Map.of("PIPELINE_LOG_LEVEL", "WARN"));
        try {
            int exit = chaos.awaitExit(RUN);
            assertThat(reportFile).as("the chaos report; output:%n%s", String.join("\n", chaos.stdout())).exists();
            JsonNode report = Json.mapper().readTree(Files.readAllBytes(reportFile));
            assertFaultsHappened(report);
            assertThat(exit).as("chaos exit code; report:%n%s", report.toPrettyString()).isZero();
            assertThat(report.path("clean").asBoolean()).isTrue();
            return report;
        } finally {
            // on a timeout: its broker and services run in sessions of their own; stop them too
            ProcessHandle.of(chaos.pid()).ifPresent(h -> h.descendants().forEach(ProcessHandle::destroyForcibly));
            chaos.close();
        }
    }

    /** The faults the issue asks for, as the run's timeline recorded them. */
    private static void assertFaultsHappened(JsonNode report) {
        List<String> events = new ArrayList<>();
        report.path("timeline").forEach(e -> events.add(e.path("event").asText()));
        assertThat(events.stream().filter(e -> e.startsWith("SIGKILL p")).count()).as("processor kills in %s", events).isEqualTo(5);
        assertThat(events.stream().filter(e -> e.startsWith("SIGSTOP p")).count()).as("pauses in %s", events).isEqualTo(1);
        assertThat(events.stream().filter(e -> e.startsWith("SIGCONT p")).count()).as("resumes in %s", events).isEqualTo(1);
        assertThat(events).contains("SIGKILL broker", "broker restarted", "SIGKILL reply", "reply restarted");
        assertThat(events).as("no problem: every fault hit a pipeline under load, all drained").doesNotContain("problem");
        assertThat(report.path("faultsInjected").asInt()).isEqualTo(8);
        assertThat(report.path("problems")).isEmpty();
    }
}
