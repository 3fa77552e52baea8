package dev.pipeline.cli.send;

import dev.pipeline.core.message.RequestId;

/** How sending one request ended, retries included. */
sealed interface SendOutcome {

    /** Durable on the requests topic (ingest answered 202, or the broker acknowledged). */
    record Accepted(RequestId id) implements SendOutcome {
    }

    /** Ingest refused it with a final HTTP status (4xx other than 429, or 429/503 after the last retry). */
    record Rejected(int status, String reason) implements SendOutcome {
    }

    /** It never got an answer: connection failures or Kafka errors, after the last retry. */
    record Failed(String reason) implements SendOutcome {
    }
}
