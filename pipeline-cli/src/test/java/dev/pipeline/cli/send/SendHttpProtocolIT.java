package dev.pipeline.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;

import dev.pipeline.core.message.Json;

/**
 * The CLI's side of the HTTP contract, against {@link FakePipelineHttp}: a fake ingest and reply
 * service, no Kafka. This checks ids, retries, reply feeds, timeouts and exit codes; it does not
 * test the pipeline (the end-to-end tests do, with the real services).
 */
class SendHttpProtocolIT {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void retriesOverloadWithTheSameIdAndSeesEveryReplyOnTheStream() throws Exception {
        try (FakePipelineHttp fake = new FakePipelineHttp(new FakePipelineHttp.Options(true, true, Set.of(), null))) {
            Path report = dir.resolve("report.json");

            int exit = send(fake, "--type", "echo", "--payload", "hi", "--count", "40", "--keys", "4",
                    "--concurrency", "8", "--client", "c-retry", "--report", report.toString());

            assertThat(exit).as(err.toString()).isZero();
            Map<String, List<JsonNode>> byId = fake.postsById();
            assertThat(byId).hasSize(40);
            assertThat(byId.values()).allSatisfy(posts -> {
                assertThat(posts).as("a 429, then the same request again").hasSize(2);
                assertThat(posts.get(1)).isEqualTo(posts.get(0));
            });
            assertThat(fake.posts).extracting(post -> post.path("key").asText())
                    .containsOnly("key-0", "key-1", "key-2", "key-3")
                    .filteredOn("key-3"::equals).hasSize(20);
            assertThat(fake.posts).extracting(post -> post.path("payload").asText()).containsOnly("hi");
            assertThat(fake.posts).extracting(post -> post.path("client").asText()).containsOnly("c-retry");

            JsonNode summary = Json.mapper().readTree(Files.readAllBytes(report));
            assertThat(summary.path("sent").asLong()).isEqualTo(40);
            assertThat(summary.path("accepted").asLong()).isEqualTo(40);
            assertThat(summary.path("retries").asLong()).isEqualTo(40);
            assertThat(summary.path("replies").path("ok").asLong()).isEqualTo(40);
            assertThat(summary.path("missing").asLong()).isZero();
            assertThat(summary.path("latencyMs").path("count").asLong()).isEqualTo(40);
            assertThat(summary.has("outOfOrder")).as("8 in flight: the send order is not the topic's order").isFalse();
            assertThat(fake.streamsOpened.get()).isEqualTo(1);
            assertThat(fake.pagesListed.get()).isZero();
            assertThat(out.toString()).contains("accepted  40 (40 retries)", "missing   0", "ok 40, error 0");
        }
    }

    @Test
    void pagesThroughTheRepliesWhenTheServiceHasNoStream() throws Exception {
        try (FakePipelineHttp fake = new FakePipelineHttp(new FakePipelineHttp.Options(false, false, Set.of(), null))) {
            int exit = send(fake, "--type", "fib", "--payload", "10", "--count", "25", "--concurrency", "1");

            assertThat(exit).as(err.toString()).isZero();
            assertThat(fake.pagesListed.get()).isPositive();
            assertThat(out.toString()).contains("replies   25 in", "ok 25", "missing   0", "order     kept per key");
        }
    }

    @Test
    void countsRejectionsAndBadLinesAndExitsWith1WhenRepliesAreMissingAtTheTimeout() throws Exception {
        try (FakePipelineHttp fake = new FakePipelineHttp(new FakePipelineHttp.Options(false, true, Set.of("sleep"), null))) {
            Path input = dir.resolve("requests.ndjson");
            Files.writeString(input, """
                    {"type":"echo","payload":"a"}
                    {"type":"sleep","payload":100}

                    not json
                    {"type":"nope"}
                    {"type":"echo","payload":"b","client":"someone-else"}
                    """);
            Path report = dir.resolve("report.json");

            int exit = send(fake, "--file", input.toString(), "--timeout", "1s", "--report", report.toString());

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("line 4: not valid JSON");
            JsonNode summary = Json.mapper().readTree(Files.readAllBytes(report));
            assertThat(summary.path("sent").asLong()).isEqualTo(4);
            assertThat(summary.path("accepted").asLong()).isEqualTo(3);
            assertThat(summary.path("rejectedAtIngest").toString()).isEqualTo("{\"422\":1}");
            assertThat(summary.path("rejectionReasons").path("422").asText()).isEqualTo("Unprocessable Content: unknown type nope");
            assertThat(summary.path("invalidLines").asLong()).isEqualTo(1);
            assertThat(summary.path("replies").path("ok").asLong()).as("also the other client's, on its own stream").isEqualTo(2);
            assertThat(summary.path("missing").asLong()).isEqualTo(1);
            assertThat(fake.streamsOpened.get()).isEqualTo(2);
            assertThat(out.toString()).contains("missing   1");
        }
    }

    @Test
    void withoutWaitingItExitsOnceEverythingIsAccepted() throws Exception {
        try (FakePipelineHttp fake = new FakePipelineHttp(new FakePipelineHttp.Options(false, true, Set.of("echo"), null))) {
            int exit = send(fake, "--type", "echo", "--count", "5", "--no-wait");

            assertThat(exit).isZero();
            assertThat(fake.posts).hasSize(5);
            assertThat(fake.streamsOpened.get()).isZero();
            assertThat(out.toString()).contains("accepted  5", "not awaited");
        }
    }

    @Test
    void theBearerTokenGoesToBothServicesAndAWrongOneStopsTheRunBeforeSending() throws Exception {
        try (FakePipelineHttp fake = new FakePipelineHttp(new FakePipelineHttp.Options(false, true, Set.of(), "s3cret"))) {
            assertThat(send(fake, "--type", "echo", "--count", "3", "--auth-token", "s3cret")).as(err.toString()).isZero();
            assertThat(out.toString()).contains("ok 3");

            assertThat(send(fake, "--type", "echo", "--count", "3", "--auth-token", "wrong")).isEqualTo(1);
            assertThat(err.toString()).contains("refused to list replies: 401", "check --auth-token");
            assertThat(fake.posts).hasSize(3);
        }
    }

    @Test
    void anUnreachableIngestIsExit1WithAClearMessage() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CommandLine cli = commandLine();

        int exit = cli.execute("--type", "echo", "--url", "http://127.0.0.1:" + closedPort, "--no-wait");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("send: cannot reach ingest at http://127.0.0.1:" + closedPort + ": connection refused");
    }

    @Test
    void runsInProcessThroughTheSendRunApi() throws Exception {
        try (FakePipelineHttp fake = new FakePipelineHttp(FakePipelineHttp.Options.plain())) {
            SendConfig config = SendConfig.of(
                            new SendConfig.Generated("echo", GeneratedSource.parsePayload("x"), 10, 2, null),
                            new SendConfig.Ingest(fake.ingestUrl()), fake.replyUrl())
                    .withRate(1000)
                    .withAwaitReplies(true, Duration.ofSeconds(10));

            Summary summary = SendRun.run(config, InputStreamOfNothing.INSTANCE, new PrintWriter(err, true));

            assertThat(summary.sent()).isEqualTo(10);
            assertThat(summary.replies()).containsEntry("ok", 10L);
            assertThat(summary.missing()).isZero();
            assertThat(summary.exitCode()).isZero();
            // 10 requests at 1000/s: the last one 9 ms after the first, at least
            assertThat(summary.throughput().sendSeconds()).isGreaterThanOrEqualTo(0.009);
        }
    }

    private int send(FakePipelineHttp fake, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", fake.ingestUrl().toString(), "--reply-url", fake.replyUrl().toString(), "--no-progress"));
        return commandLine().execute(all.toArray(String[]::new));
    }

    private CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SendCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }

    /** Standard input with nothing on it. */
    static final class InputStreamOfNothing extends java.io.InputStream {
        static final InputStreamOfNothing INSTANCE = new InputStreamOfNothing();

        @Override
        public int read() throws IOException {
            return -1;
        }
    }
}
