package dev.pipeline.ingest.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.javalin.http.Context;
import io.javalin.http.Header;
import org.slf4j.MDC;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RecordHeaders;
import dev.pipeline.core.message.Request;
import dev.pipeline.core.message.RequestId;

/**
 * {@code POST /v1/requests} and {@code POST /v1/requests/batch}. Each HTTP request runs on its
 * own virtual thread, which blocks until the broker has answered for its records: 202 is
 * written only after the producer callback reported success.
 */
final class RequestRoutes {

    /** The body of a 202. */
    record AcceptedBody(String id, String replyUrl) {
    }

    /** One line of a batch answer: id and replyUrl when accepted, else the problem. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"line", "status", "id", "replyUrl", "problem"})
    record LineResult(int line, int status, String id, String replyUrl, Problem problem) {
    }

    private final RequestParser parser;
    private final RequestWriter writer;
    private final int maxBodyBytes;
    private final String replyBaseUrl;
    /** A safety net only: the producer calls back within its delivery timeout. */
    private final Duration answerBound;

    RequestRoutes(RequestParser parser, RequestWriter writer, int maxBodyBytes, String replyBaseUrl, Duration sendTimeout) {
        this.parser = parser;
        this.writer = writer;
        this.maxBodyBytes = maxBodyBytes;
        this.replyBaseUrl = replyBaseUrl;
        this.answerBound = sendTimeout.multipliedBy(2).plusSeconds(1);
    }

    void submitOne(Context ctx) throws IOException, InterruptedException {
        MediaTypes.require(ctx.contentType(), MediaTypes.JSON);
        byte[] body = BodyReader.read(ctx::bodyInputStream, ctx.req().getContentLengthLong(), maxBodyBytes);
        Request request = switch (parser.parse(body)) {
            case RequestParser.Parsed.Valid valid -> valid.request();
            case RequestParser.Parsed.Invalid invalid -> throw new ProblemException(invalid.problem());
        };
        TraceParent trace = TraceParent.fromHeaderOrNew(ctx.header(RecordHeaders.TRACEPARENT));
        MDC.put("requestId", request.id().value());
        try {
            long deadline = System.nanoTime() + answerBound.toNanos();
            switch (await(writer.send(request, trace), deadline)) {
                case Outcome.Accepted accepted -> {
                    String replyUrl = replyUrl(accepted.id());
                    ctx.header(Header.LOCATION, replyUrl);
                    Responses.json(ctx, 202, new AcceptedBody(accepted.id().value(), replyUrl));
                }
                case Outcome.Refused refused -> throw new ProblemException(refused.problem());
            }
        } finally {
            MDC.remove("requestId");
        }
    }

    /**
     * Sends every valid line at once and then waits for all, so a batch costs about one broker
     * round trip. Once Kafka failed a line, the later lines are not tried: each would wait the
     * full send timeout for the same answer.
     */
    void submitBatch(Context ctx) throws IOException, InterruptedException {
        MediaTypes.require(ctx.contentType(), MediaTypes.NDJSON);
        byte[] body = BodyReader.read(ctx::bodyInputStream, ctx.req().getContentLengthLong(), maxBodyBytes);
        List<BatchLines.Line> lines = BatchLines.split(body);
        if (lines.isEmpty()) {
            throw new ProblemException(Problem.malformed("the batch has no lines; send one JSON request per line"));
        }
        TraceParent trace = TraceParent.fromHeaderOrNew(ctx.header(RecordHeaders.TRACEPARENT));
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>(lines.size());
        boolean kafkaFailed = false;
        for (BatchLines.Line line : lines) {
            CompletableFuture<Outcome> outcome = switch (parser.parse(line.bytes())) {
                case RequestParser.Parsed.Invalid invalid -> refused(invalid.problem());
                case RequestParser.Parsed.Valid valid -> kafkaFailed
                        ? refused(Problem.kafkaUnavailable("not sent: Kafka failed an earlier line of this batch; retry later"))
                        : writer.send(valid.request(), trace);
            };
            kafkaFailed |= outcome.isDone() && outcome.join() instanceof Outcome.Refused r && r.problem().status() == 503;
            outcomes.add(outcome);
        }
        long deadline = System.nanoTime() + answerBound.toNanos();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            answer.write(Json.toBytes(lineResult(lines.get(i).number(), await(outcomes.get(i), deadline))));
            answer.write('\n');
        }
        ctx.status(200).contentType(MediaTypes.NDJSON).result(answer.toByteArray());
    }

    private LineResult lineResult(int line, Outcome outcome) {
        return switch (outcome) {
            case Outcome.Accepted accepted -> new LineResult(line, 202, accepted.id().value(), replyUrl(accepted.id()), null);
            case Outcome.Refused refused -> new LineResult(line, refused.problem().status(), null, null, refused.problem());
        };
    }

    private String replyUrl(RequestId id) {
        return replyBaseUrl + "/v1/replies/" + id.value();
    }

    private static Outcome await(CompletableFuture<Outcome> outcome, long deadlineNanos) throws InterruptedException {
        try {
            return outcome.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return new Outcome.Refused(Problem.kafkaUnavailable(
                    "Kafka has not answered for this request, so it may or may not be written; a retry is safe only with a client-supplied id"));
        } catch (ExecutionException e) {
            throw new IllegalStateException("a send outcome never fails", e.getCause());
        }
    }

    private static CompletableFuture<Outcome> refused(Problem problem) {
        return CompletableFuture.completedFuture(new Outcome.Refused(problem));
    }
}
