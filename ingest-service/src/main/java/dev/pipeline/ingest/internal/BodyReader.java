package dev.pipeline.ingest.internal;

import java.io.IOException;
import java.io.InputStream;

/** Reads a request body into memory, refusing (413) one over the limit before holding it all. */
public final class BodyReader {

    private BodyReader() {
    }

    /**
     * @param declaredLength the {@code Content-Length}, or -1 when the body is chunked
     * @throws ProblemException 413 when the body is longer than {@code maxBytes}
     */
    public static byte[] read(InputStream body, long declaredLength, int maxBytes) throws IOException {
        if (declaredLength > maxBytes) {
            throw tooLarge(maxBytes, "Content-Length is " + declaredLength + " bytes");
        }
        // one byte more than allowed tells a chunked body that is too long from one that fits
        byte[] bytes = body.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes, "the body is longer");
        }
        return bytes;
    }

    private static ProblemException tooLarge(int maxBytes, String found) {
        return new ProblemException(Problem.tooLarge("the body may be at most " + maxBytes + " bytes; " + found));
    }
}
