package dev.pipeline.ingest.internal;

import dev.pipeline.core.message.RequestId;

/** What became of one submitted request. */
public sealed interface Outcome {

    /** The broker acknowledged the record: the request is durable. */
    record Accepted(RequestId id) implements Outcome {
    }

    /** Not written; the problem says why and whether to retry. */
    record Refused(Problem problem) implements Outcome {
    }
}
