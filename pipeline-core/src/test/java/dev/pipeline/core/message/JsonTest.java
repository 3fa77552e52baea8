package dev.pipeline.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

class JsonTest {

    @Test
    void aRequestRoundTripsWithTheVersionFirstAndInstantsAsIsoText() throws IOException {
        Request request = new Request(1, new RequestId("abc-1"), "alice", "echo", "k", JsonNodeFactory.instance.objectNode().put("x", 1),
                Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T10:01:00Z"));

        String json = Json.toString(request);

        assertThat(json).startsWith("{\"v\":1,\"id\":\"abc-1\",\"client\":\"alice\",\"type\":\"echo\"")
                .contains("\"submittedAt\":\"2026-11-25T10:00:00Z\"");
        assertThat(Json.readRequest(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(request);
    }

    @Test
    void unknownFieldsAreIgnoredSoNewerWritersCanAddThem() throws IOException {
        String json = "{\"v\":1,\"id\":\"a\",\"client\":\"c\",\"type\":\"echo\",\"submittedAt\":\"2026-11-25T10:00:00Z\",\"colour\":\"red\"}";

        assertThat(Json.readRequest(json.getBytes(StandardCharsets.UTF_8)).type()).isEqualTo("echo");
    }

    @Test
    void aReplyRoundTripsWithItsStatusInLowerCase() throws IOException {
        Reply reply = new Reply(1, new RequestId("a"), "c", "fail", ReplyStatus.ERROR, null, new ReplyError("handler_failed", "boom"),
                3, "p-1/0", Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T10:00:01Z"), 1000);

        String json = Json.toString(reply);

        assertThat(json).contains("\"status\":\"error\"", "\"error\":{\"code\":\"handler_failed\",\"message\":\"boom\"}")
                .doesNotContain("\"result\"");
        assertThat(Json.readReply(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(reply);
    }

    @Test
    void hostileDocumentsAreRefused() {
        String deep = "[".repeat(Json.MAX_NESTING_DEPTH + 1) + "]".repeat(Json.MAX_NESTING_DEPTH + 1);
        String request = "{\"v\":1,\"id\":\"a\",\"client\":\"c\",\"type\":\"echo\",\"submittedAt\":\"2026-11-25T10:00:00Z\",\"payload\":" + deep + "}";

        assertThatThrownBy(() -> Json.readRequest(request.getBytes(StandardCharsets.UTF_8))).hasMessageContaining("nesting depth");
        assertThatThrownBy(() -> Json.readRequest("{\"v\":1} trailing".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
    }

    @Test
    void anInvalidIdIsRefused() {
        assertThatThrownBy(() -> new RequestId("has space")).hasMessageContaining("id must be 1-128 characters");
        assertThatThrownBy(() -> new RequestId("x".repeat(129))).isInstanceOf(IllegalArgumentException.class);
        assertThat(RequestId.random().value()).hasSize(36);
    }
}
