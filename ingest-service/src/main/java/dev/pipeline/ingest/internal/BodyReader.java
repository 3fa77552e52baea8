package dev.pipeline.ingest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * Reads a request body into memory, refusing (413) one over the limit before holding it all.
 * The rest of a refused body is read and dropped, up to {@value #MAX_SWALLOW_BYTES} bytes, so a
 * client still writing it gets to read the 413 instead of a reset connection (as Tomcat does);
 * a body declared longer than that is refused without asking for it, so a client sending
 * {@code Expect: 100-continue} never sends it.
 */
public final class BodyReader {

    static final long MAX_SWALLOW_BYTES = 8L * 1024 * 1024;

    private BodyReader() {
    }

    /**
     * @param body           opens the body; not called for a body declared too long to read at all
     *                       (opening it would tell a client waiting for 100-continue to send it)
     * @param declaredLength the {@code Content-Length}, or -1 when the body is chunked
     * @throws ProblemException 413 when the body is longer than {@code maxBytes}
     */
    public static byte[] read(Supplier<InputStream> body, long declaredLength, int maxBytes) throws IOException {
        if (declaredLength > maxBytes) {
            if (declaredLength <= MAX_SWALLOW_BYTES) {
                swallow(body.get());
            }
            throw tooLarge(maxBytes, "Content-Length is " + declaredLength + " bytes");
        }
        InputStream in = body.get();
        // one byte more than allowed tells a chunked body that is too long from one that fits
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            swallow(in);
            throw tooLarge(maxBytes, "the body is longer");
        }
        return bytes;
    }

    /** Reads and drops what the client still sends, up to the cap; a short or broken body is fine. */
    private static void swallow(InputStream in) {
        long left = MAX_SWALLOW_BYTES;
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int n = in.read(buffer); n > 0 && left > 0; n = in.read(buffer)) {
                left -= n;
            }
        } catch (IOException e) {
            // the client gave up or lied about the length: the 413 is the answer either way
        }
    }

    private static ProblemException tooLarge(int maxBytes, String found) {
        return new ProblemException(Problem.tooLarge("the body may be at most " + maxBytes + " bytes; " + found));
    }
}
