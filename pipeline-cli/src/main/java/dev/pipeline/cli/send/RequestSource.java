package dev.pipeline.cli.send;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * Where the requests come from: NDJSON lines (stdin or a file) or a generator. Read by one
 * thread, the sending loop; {@link #next()} may block on input.
 */
sealed interface RequestSource extends AutoCloseable permits NdjsonSource, GeneratedSource {

    /** The next item, or null at the end of the input. */
    Item next() throws IOException;

    /** How many items there will be, when known up front (a generator), for the progress bar. */
    OptionalLong size();

    @Override
    void close() throws IOException;

    /** One input item: a request to send, or a line that is not one. */
    sealed interface Item {
        /** @param line 1-based line number (or sequence number for a generator) */
        record Valid(long line, Submission submission) implements Item {
        }

        /** @param problem what is wrong with the line, for the user */
        record Invalid(long line, String problem) implements Item {
        }
    }
}
