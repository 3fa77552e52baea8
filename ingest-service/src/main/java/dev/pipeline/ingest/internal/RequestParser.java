package dev.pipeline.ingest.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.core.handler.Handler;
import dev.pipeline.core.handler.Handlers;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Request;
import dev.pipeline.core.message.RequestId;

/**
 * Turns a client's JSON into a {@link Request}, or into the problem that says what is wrong:
 * 400 for what is not a JSON object in UTF-8, 422 for a missing or mistyped field, an unknown
 * type or a payload the type's handler refuses. Unknown fields are ignored; {@code v} and
 * {@code submittedAt} are the service's to set. Thread-safe.
 */
public final class RequestParser {

    static final int MAX_CLIENT_LENGTH = 256;
    static final int MAX_KEY_LENGTH = 1024;
    private static final int MAX_QUOTED = 64;

    private static final Logger log = LoggerFactory.getLogger(RequestParser.class);

    /** What parsing gave. */
    public sealed interface Parsed {
        record Valid(Request request) implements Parsed {
        }

        record Invalid(Problem problem) implements Parsed {
        }
    }

    private final Handlers handlers;
    private final Clock clock;

    public RequestParser(Handlers handlers, Clock clock) {
        this.handlers = handlers;
        this.clock = clock;
    }

    public Parsed parse(byte[] body) {
        Optional<String> encodingError = utf8Error(body);
        if (encodingError.isPresent()) {
            return new Parsed.Invalid(Problem.malformed(encodingError.get()));
        }
        JsonNode tree;
        try {
            // from the decoded text, so that Jackson cannot take the bytes for UTF-16 or UTF-32
            tree = Json.mapper().readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            return new Parsed.Invalid(Problem.malformed("the body is not valid JSON: " + describe(e)));
        }
        if (tree == null || tree.isMissingNode()) {
            return new Parsed.Invalid(Problem.malformed("the body is empty; send a JSON object"));
        }
        if (!(tree instanceof ObjectNode object)) {
            return new Parsed.Invalid(Problem.malformed("the body must be a JSON object, not " + kind(tree)));
        }
        return fromObject(object);
    }

    private Parsed fromObject(ObjectNode object) {
        List<String> errors = new ArrayList<>();
        Fields fields = new Fields(object, errors);
        RequestId id = fields.id();
        String client = fields.requiredString("client", MAX_CLIENT_LENGTH);
        String type = fields.requiredString("type", Integer.MAX_VALUE);
        String key = fields.optionalString("key", MAX_KEY_LENGTH);
        var deadline = fields.optionalInstant("deadline");
        if (!errors.isEmpty()) {
            return new Parsed.Invalid(Problem.invalidRequest(String.join("; ", errors)));
        }
        Optional<Handler> handler = handlers.find(type);
        if (handler.isEmpty()) {
            return new Parsed.Invalid(Problem.unknownType("type " + quoted(type) + " is not known; known types: "
                    + String.join(", ", handlers.types())));
        }
        JsonNode payload = object.get("payload");
        if (payload != null && payload.isNull()) {
            payload = null; // an explicit null and no payload mean the same
        }
        Optional<String> refused = validate(handler.get(), payload);
        if (refused.isPresent()) {
            return new Parsed.Invalid(Problem.invalidPayload("invalid payload for type " + type + ": " + refused.get()));
        }
        Request request = new Request(Request.VERSION, id != null ? id : RequestId.random(), client, type, key,
                payload, clock.instant(), deadline);
        return new Parsed.Valid(request);
    }

    private static Optional<String> validate(Handler handler, JsonNode payload) {
        try {
            return handler.validate(payload);
        } catch (RuntimeException e) {
            // a plug-in's bug: refuse the request rather than answer 500 for every such payload
            log.warn("handler {} threw while validating a payload; the request is refused", handler.type(), e);
            return Optional.of("the handler could not check it (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Where the first byte that is not UTF-8 is, if there is one. */
    static Optional<String> utf8Error(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return Optional.of("the body is not valid UTF-8 (at byte offset " + in.position() + ")");
            }
            if (result.isUnderflow()) {
                return Optional.empty();
            }
            out.clear(); // overflow: only validity matters, so the decoded characters are dropped
        }
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? message
                : message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case OBJECT, POJO -> "an object";
            case BINARY, MISSING -> node.getNodeType().name().toLowerCase();
        };
    }

    static String quoted(String value) {
        return '"' + (value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "..." : value) + '"';
    }
}
