package dev.pipeline.cli.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.cli.send.SendConfig;
import dev.pipeline.cli.send.SendRun;
import dev.pipeline.cli.send.Summary;
import dev.pipeline.cli.stack.LocalStack;

/**
 * Request-to-reply latency at a fixed rate through the whole stack: ingest, one processor and the
 * reply service as child processes on the bench's broker (default topics {@code pipeline.*}), and
 * {@code SendRun} as the client (submit over HTTP to the reply seen through the reply service).
 * A first, shorter run at the same rate warms the services up and is not reported.
 */
final class LatencyScenario {

    /** @param summary the measured run; its latency is in milliseconds */
    record Result(double rate, Summary summary) {
    }

    private LatencyScenario() {
    }

    static Result run(String bootstrap, Path workDir, double rate, int count, JsonNode payload) throws InterruptedException {
        Path log = workDir.resolve("stack.log");
        try (OutputStream file = Files.newOutputStream(log);
             PrintStream out = new PrintStream(file, true, StandardCharsets.UTF_8);
             PrintWriter messages = new PrintWriter(out, true);
             LocalStack stack = new LocalStack(new LocalStack.Options(bootstrap, 0, freePort(), freePort(), 1, 0, 1,
                     workDir.resolve("stack")), out).start()) {
            send(stack, rate, Math.max(100, count / 5), payload, messages); // warm-up, not reported
            Summary summary = send(stack, rate, count, payload, messages);
            if (summary.missing() > 0 || summary.failed() > 0) {
                throw new IllegalStateException("latency run lost requests: missing " + summary.missing() + ", failed "
                        + summary.failed() + " (see " + log + ")");
            }
            return new Result(rate, summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Summary send(LocalStack stack, double rate, int count, JsonNode payload, PrintWriter messages) {
        SendConfig config = SendConfig.of(new SendConfig.Generated("echo", payload, count, 100, null),
                        new SendConfig.Ingest(URI.create(stack.ingestUrl())), URI.create(stack.replyUrl()))
                .withRate(rate)
                .withAwaitReplies(true, Duration.ofSeconds(60));
        return SendRun.run(config, java.io.InputStream.nullInputStream(), messages);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
