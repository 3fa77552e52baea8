package dev.pipeline.ingest.internal;

import java.util.Locale;

/**
 * Checks a request's {@code Content-Type}: the media type must match, and a {@code charset}
 * parameter, if present, must be UTF-8 (JSON is UTF-8, RFC 8259). Other parameters are ignored.
 */
public final class MediaTypes {

    public static final String JSON = "application/json";
    public static final String NDJSON = "application/x-ndjson";

    private MediaTypes() {
    }

    /** @throws ProblemException 415 when {@code contentType} is not {@code expected} */
    public static void require(String contentType, String expected) {
        if (contentType == null || contentType.isBlank()) {
            throw unsupported("Content-Type is missing; send " + expected);
        }
        String[] parts = contentType.split(";");
        String mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(expected)) {
            throw unsupported("Content-Type " + mediaType + " is not supported here; send " + expected);
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).strip().equalsIgnoreCase("charset")) {
                String charset = parameter.substring(equals + 1).strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8")) {
                    throw unsupported("charset " + charset + " is not supported; send UTF-8");
                }
            }
        }
    }

    private static ProblemException unsupported(String detail) {
        return new ProblemException(Problem.unsupportedMediaType(detail));
    }
}
