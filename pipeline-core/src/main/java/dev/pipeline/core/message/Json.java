package dev.pipeline.core.message;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson configuration of the project: ISO-8601 instants, unknown fields ignored, no
 * polymorphic typing, and bounds on what a hostile document may ask of the parser.
 */
public final class Json {

    /** Deeper documents are refused: nesting is where parsers spend stack. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Longer strings are refused: the body limit bounds them anyway; this bounds the parser. */
    public static final int MAX_STRING_LENGTH = 1 << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxStringLength(MAX_STRING_LENGTH)
                            .build())
                    .build())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** The shared, thread-safe mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static String toString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Reads a Request; throws {@link IOException} (a Jackson subtype) on anything malformed. */
    public static Request readRequest(byte[] bytes) throws IOException {
        return MAPPER.readValue(bytes, Request.class);
    }

    /** Reads a Reply; throws {@link IOException} (a Jackson subtype) on anything malformed. */
    public static Reply readReply(byte[] bytes) throws IOException {
        return MAPPER.readValue(bytes, Reply.class);
    }
}
