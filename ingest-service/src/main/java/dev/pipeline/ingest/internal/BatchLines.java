package dev.pipeline.ingest.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits an NDJSON body into its lines. Lines end with LF (a CR before it is dropped); blank
 * lines carry no request and are skipped, but still count, so that a result's line number is the
 * line's number in the body. An LF byte never occurs inside a multi-byte UTF-8 character, so
 * splitting bytes is safe.
 */
final class BatchLines {

    /** One non-blank line, numbered from 1. */
    record Line(int number, byte[] bytes) {
    }

    private BatchLines() {
    }

    static List<Line> split(byte[] body) {
        List<Line> lines = new ArrayList<>();
        int number = 0;
        int start = 0;
        while (start < body.length) {
            int end = indexOf(body, (byte) '\n', start);
            int next = end + 1;
            number++;
            if (end > start && body[end - 1] == '\r') {
                end--;
            }
            if (!isBlank(body, start, end)) {
                lines.add(new Line(number, Arrays.copyOfRange(body, start, end)));
            }
            start = next;
        }
        return lines;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return bytes.length;
    }

    private static boolean isBlank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
                return false;
            }
        }
        return true;
    }
}
