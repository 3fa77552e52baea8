package dev.pipeline.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pipeline.core.handler.Handlers;
import dev.pipeline.core.handler.builtin.Echo;
import dev.pipeline.core.handler.builtin.Fib;
import dev.pipeline.core.message.Request;
import dev.pipeline.core.message.RequestId;

class RequestParserTest {

    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    private final RequestParser parser = new RequestParser(Handlers.of(new Echo(), new Fib()), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void buildsAVersionOneRequestStampedWithTheServiceClock() {
        Request request = valid("""
                {"client": "c1", "type": "echo", "key": "k", "payload": {"a": [1, 2]}, "deadline": "2030-01-02T04:00:00Z"}""");

        assertThat(request.v()).isEqualTo(1);
        assertThat(request.client()).isEqualTo("c1");
        assertThat(request.type()).isEqualTo("echo");
        assertThat(request.key()).isEqualTo("k");
        assertThat(request.payload().toString()).isEqualTo("{\"a\":[1,2]}");
        assertThat(request.submittedAt()).isEqualTo(NOW);
        assertThat(request.deadline()).isEqualTo(Instant.parse("2030-01-02T04:00:00Z"));
        assertThat(request.id().value()).matches("[0-9a-f-]{36}");
    }

    @Test
    void keepsAClientSuppliedId() {
        assertThat(valid("{\"id\": \"order-42:retry.1\", \"client\": \"c\", \"type\": \"echo\"}").id())
                .isEqualTo(new RequestId("order-42:retry.1"));
    }

    @Test
    void ignoresUnknownFieldsAndTheClientsVersionAndSubmittedAt() {
        Request request = valid("""
                {"client": "c", "type": "echo", "v": 7, "submittedAt": "2000-01-01T00:00:00Z", "extra": {"x": 1}}""");

        assertThat(request.v()).isEqualTo(1);
        assertThat(request.submittedAt()).isEqualTo(NOW);
    }

    @Test
    void treatsNullsAsAbsent() {
        Request request = valid("{\"id\": null, \"client\": \"c\", \"type\": \"echo\", \"key\": null, \"payload\": null}");

        assertThat(request.key()).isNull();
        assertThat(request.payload()).isNull();
        assertThat(request.orderingKey()).isEqualTo("c");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"client\": \"c\", \"type\": \"echo\"                | not valid JSON",
        "{\"client\": \"c\", \"type\": \"echo\"} trailing         | not valid JSON",
        "{\"client\": \"c\", \"type\": \"echo\"}{}                | not valid JSON",
        "[1, 2]                                                | must be a JSON object, not an array",
        "\"text\"                                              | must be a JSON object, not a string",
        "42                                                    | must be a JSON object, not a number",
        "'   '                                                 | the body is empty",
    })
    void refusesWhatIsNotOneJsonObjectWith400(String body, String detail) {
        Problem problem = invalid(body.strip());

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.type()).endsWith(":malformed-json");
        assertThat(problem.detail()).contains(detail);
    }

    @Test
    void refusesInvalidUtf8With400NamingTheByte() {
        byte[] body = "{\"client\": \"c\u00e9\", \"type\": \"echo\"}".getBytes(StandardCharsets.ISO_8859_1);

        Problem problem = parser.parse(body) instanceof RequestParser.Parsed.Invalid i ? i.problem() : null;

        assertThat(problem).isNotNull();
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.detail()).isEqualTo("the body is not valid UTF-8 (at byte offset 13)");
    }

    @Test
    void refusesUtf16EvenThoughJacksonCouldReadIt() {
        byte[] body = "{\"client\": \"c\", \"type\": \"echo\"}".getBytes(StandardCharsets.UTF_16LE);

        assertThat(parser.parse(body)).isInstanceOf(RequestParser.Parsed.Invalid.class);
    }

    @Test
    void refusesDocumentsNestedTooDeeply() {
        String deep = "[".repeat(100) + "]".repeat(100);

        Problem problem = invalid("{\"client\": \"c\", \"type\": \"echo\", \"payload\": " + deep + "}");

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.detail()).contains("nesting depth");
    }

    @Test
    void refusesControlCharactersInNamesWith422() {
        Problem problem = invalid("{\"client\": \"a\\u0000b\", \"type\": \"echo\", \"key\": \"k\\n\"}");

        assertThat(problem.status()).isEqualTo(422);
        assertThat(problem.detail()).isEqualTo("client must not contain control characters; key must not contain control characters");
    }

    @Test
    void listsEveryMissingFieldIn422() {
        Problem problem = invalid("{\"payload\": 1}");

        assertThat(problem.status()).isEqualTo(422);
        assertThat(problem.type()).endsWith(":invalid-request");
        assertThat(problem.detail()).isEqualTo("client is required; type is required");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"client\": 1, \"type\": \"echo\"}                                | client must be a string, not a number",
        "{\"client\": \" \", \"type\": \"echo\"}                            | client must not be empty",
        "{\"client\": \"c\", \"type\": [\"echo\"]}                          | type must be a string, not an array",
        "{\"client\": \"c\", \"type\": \"echo\", \"key\": 7}                | key must be a string, not a number",
        "{\"client\": \"c\", \"type\": \"echo\", \"id\": true}              | id must be a string, not a boolean",
        "{\"client\": \"c\", \"type\": \"echo\", \"id\": \"a b\"}           | id must be 1-128 characters",
        "{\"client\": \"c\", \"type\": \"echo\", \"deadline\": \"tomorrow\"}| deadline must be an ISO-8601 instant",
        "{\"client\": \"c\", \"type\": \"echo\", \"deadline\": 1700000000}  | deadline must be a string, not a number",
    })
    void refusesMistypedFieldsWith422(String body, String detail) {
        Problem problem = invalid(body);

        assertThat(problem.status()).isEqualTo(422);
        assertThat(problem.detail()).startsWith(detail);
    }

    @Test
    void refusesAnOverlongClient() {
        Problem problem = invalid("{\"client\": \"" + "c".repeat(300) + "\", \"type\": \"echo\"}");

        assertThat(problem.detail()).isEqualTo("client must be at most 256 characters (got 300)");
    }

    @Test
    void refusesAnUnknownTypeNamingTheKnownOnes() {
        Problem problem = invalid("{\"client\": \"c\", \"type\": \"nope\"}");

        assertThat(problem.status()).isEqualTo(422);
        assertThat(problem.type()).endsWith(":unknown-type");
        assertThat(problem.detail()).isEqualTo("type \"nope\" is not known; known types: echo, fib");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"ten\"", "-1", "41", "2.5"})
    void refusesAPayloadTheHandlerRejects(String payload) {
        Problem problem = invalid("{\"client\": \"c\", \"type\": \"fib\", \"payload\": " + payload + "}");

        assertThat(problem.status()).isEqualTo(422);
        assertThat(problem.type()).endsWith(":invalid-payload");
        assertThat(problem.detail()).isEqualTo("invalid payload for type fib: payload must be an integer from 0 to 40");
    }

    @Test
    void acceptsAPayloadTheHandlerAccepts() {
        assertThat(valid("{\"client\": \"c\", \"type\": \"fib\", \"payload\": 20}").payload().asInt()).isEqualTo(20);
    }

    private Request valid(String body) {
        RequestParser.Parsed parsed = parser.parse(body.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed).isInstanceOf(RequestParser.Parsed.Valid.class);
        return ((RequestParser.Parsed.Valid) parsed).request();
    }

    private Problem invalid(String body) {
        RequestParser.Parsed parsed = parser.parse(body.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed).isInstanceOf(RequestParser.Parsed.Invalid.class);
        return ((RequestParser.Parsed.Invalid) parsed).problem();
    }
}
