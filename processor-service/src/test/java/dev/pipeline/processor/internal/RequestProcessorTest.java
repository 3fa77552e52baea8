package dev.pipeline.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.pipeline.core.handler.Handler;
import dev.pipeline.core.handler.HandlerContext;
import dev.pipeline.core.handler.Handlers;
import dev.pipeline.core.handler.builtin.Echo;
import dev.pipeline.core.handler.builtin.Fail;
import dev.pipeline.core.handler.builtin.Fib;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;
import dev.pipeline.core.message.ReplyStatus;
import dev.pipeline.core.message.Request;
import dev.pipeline.core.message.RequestId;

class RequestProcessorTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final List<Duration> sleeps = new ArrayList<>();
    private final AtomicInteger slowCalls = new AtomicInteger();
    private final Handler slow = new Handler() {
        @Override
        public String type() {
            return "slow";
        }

        @Override
        public JsonNode handle(HandlerContext context) throws InterruptedException {
            slowCalls.incrementAndGet();
            Thread.sleep(Duration.ofMinutes(1));
            return TextNode.valueOf("never");
        }
    };
    private final HandlerInvoker invoker = new HandlerInvoker(Duration.ofMillis(200));
    private final RequestProcessor processor = new RequestProcessor(Handlers.of(new Echo(), new Fail(), new Fib(), slow), invoker,
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), bound -> bound - 1), 3, clock, sleeps::add);

    @AfterEach
    void closeInvoker() {
        invoker.close();
    }

    @Test
    void aHandlerResultBecomesAnOkReplyAfterOneAttempt() throws Exception {
        Reply reply = replyTo(request("echo", TextNode.valueOf("hi"), null));

        assertThat(reply.status()).isEqualTo(ReplyStatus.OK);
        assertThat(reply.result()).isEqualTo(TextNode.valueOf("hi"));
        assertThat(reply.attempts()).isEqualTo(1);
        assertThat(reply.requestId()).isEqualTo(new RequestId("r-1"));
        assertThat(reply.processor()).isEqualTo("p/0");
        assertThat(reply.processedAt()).isEqualTo(NOW);
    }

    @Test
    void transientFailuresAreRetriedWithGrowingBackoffUntilTheyPass() throws Exception {
        Reply reply = replyTo(request("fail", JsonNodeFactory.instance.objectNode().put("times", 2), null));

        assertThat(reply.status()).isEqualTo(ReplyStatus.OK);
        assertThat(reply.attempts()).isEqualTo(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void afterTheLastAttemptTheReplyIsAnError() throws Exception {
        Reply reply = replyTo(request("fail", null, null));

        assertThat(reply.status()).isEqualTo(ReplyStatus.ERROR);
        assertThat(reply.attempts()).isEqualTo(3);
        assertThat(reply.error().code()).isEqualTo("handler_failed");
        assertThat(reply.error().message()).contains("failed 3 attempts", "failed on attempt 3, as asked");
    }

    @Test
    void aPermanentFailureIsNotRetried() throws Exception {
        Reply reply = replyTo(request("fail", JsonNodeFactory.instance.objectNode().put("permanent", true), null));

        assertThat(reply.status()).isEqualTo(ReplyStatus.ERROR);
        assertThat(reply.attempts()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aCallOverTheTimeoutCountsAsAFailedAttempt() throws Exception {
        Reply reply = replyTo(request("slow", null, null));

        assertThat(reply.status()).isEqualTo(ReplyStatus.ERROR);
        assertThat(reply.error().message()).contains("timed out after 200 ms");
        assertThat(slowCalls).hasValue(3);
    }

    @Test
    void aRequestPastItsDeadlineExpiresWithoutRunning() throws Exception {
        Reply reply = replyTo(request("slow", null, NOW.minusSeconds(1)));

        assertThat(reply.status()).isEqualTo(ReplyStatus.EXPIRED);
        assertThat(reply.attempts()).isZero();
        assertThat(slowCalls).hasValue(0);
    }

    @Test
    void retriesStopWhenTheNextWouldStartAfterTheDeadline() throws Exception {
        Reply reply = replyTo(request("fail", null, NOW.plusMillis(50)));

        assertThat(reply.status()).isEqualTo(ReplyStatus.ERROR);
        assertThat(reply.error().code()).isEqualTo("deadline_reached");
        assertThat(reply.attempts()).isEqualTo(1);
    }

    @Test
    void anUnknownTypeOrAnInvalidPayloadIsRejected() throws Exception {
        Reply unknown = replyTo(request("nope", null, null));
        Reply invalid = replyTo(request("fib", IntNode.valueOf(1000), null));

        assertThat(unknown.status()).isEqualTo(ReplyStatus.REJECTED);
        assertThat(unknown.error().code()).isEqualTo("unknown_type");
        assertThat(invalid.status()).isEqualTo(ReplyStatus.REJECTED);
        assertThat(invalid.error().message()).isEqualTo("payload must be an integer from 0 to 40");
    }

    @Test
    void whatCannotBeReadBecomesADeadLetter() throws Exception {
        assertThat(processor.process("{not json".getBytes(StandardCharsets.UTF_8), "p/0"))
                .isInstanceOfSatisfying(Outcome.DeadLetter.class, d -> assertThat(d.errorClass()).contains("JsonParseException"));
        assertThat(processor.process("{\"v\":1,\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8), "p/0"))
                .isInstanceOf(Outcome.DeadLetter.class);
        assertThat(processor.process(null, "p/0")).isInstanceOf(Outcome.DeadLetter.class);
        byte[] futureVersion = Json.toBytes(request("echo", null, null)).clone();
        String v2 = new String(futureVersion, StandardCharsets.UTF_8).replace("\"v\":1", "\"v\":2");
        assertThat(processor.process(v2.getBytes(StandardCharsets.UTF_8), "p/0"))
                .isInstanceOfSatisfying(Outcome.DeadLetter.class, d -> assertThat(d.errorClass()).isEqualTo("UnsupportedVersion"));
    }

    private Reply replyTo(Request request) throws InterruptedException {
        Outcome outcome = processor.process(Json.toBytes(request), "p/0");
        assertThat(outcome).isInstanceOf(Outcome.Replied.class);
        return ((Outcome.Replied) outcome).reply();
    }

    private static Request request(String type, JsonNode payload, Instant deadline) {
        return new Request(1, new RequestId("r-1"), "c", type, null, payload, NOW.minusSeconds(5), deadline);
    }
}
