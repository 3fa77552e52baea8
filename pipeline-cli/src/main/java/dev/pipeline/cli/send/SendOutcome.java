package dev.pipeline.cli.send;

import dev.pipeline.core.message.RequestId;

/** How sending one request ended, retries included. */
sealed interface SendOutcome {

    /** Durable on the requests topic (ingest answered 202, or the broker acknowledged). */
    record Accepted(RequestId id) implements SendOutcome {
    }

    /** Ingest refused the request itself with a final 4xx (malformed, too large, unknown type, ...). */
    record Rejected(int status, String reason) implements SendOutcome {
    }

    /**
     * It was not taken, through no fault of its own: connection failures, Kafka errors, 429/503
     * after the last retry, 401/403, 5xx. The run exits 1.
     */
    record Failed(String reason) implements SendOutcome {
    }
}
