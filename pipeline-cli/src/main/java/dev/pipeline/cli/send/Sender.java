package dev.pipeline.cli.send;

import java.util.concurrent.CompletableFuture;

/**
 * Sends requests: through ingest's HTTP API or straight to the requests topic. {@link #start()}
 * and {@link #send} are called by the sending thread; the returned futures complete on the
 * sender's own threads and never exceptionally.
 */
sealed interface Sender extends AutoCloseable permits IngestSender, DirectSender {

    /** Checks the target can be reached and opens connections; throws {@link SendException} if not. */
    void start();

    /** Sends one request, retrying transient refusals with the same id. */
    CompletableFuture<SendOutcome> send(Submission submission);

    /** How many retries were made so far. */
    long retries();

    /** {@code ingest} or {@code direct}, for the summary. */
    String mode();

    /** Waits a bounded time for sends in flight, then releases connections. Idempotent. */
    @Override
    void close();
}
