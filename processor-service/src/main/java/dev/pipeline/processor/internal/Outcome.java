package dev.pipeline.processor.internal;

import dev.pipeline.core.message.Reply;

/** What one request record becomes: a reply, or a dead letter when it cannot even be read. */
public sealed interface Outcome {

    /** A reply to write to the replies topic (any status). */
    record Replied(Reply reply) implements Outcome {
    }

    /**
     * The record is written unchanged to the dead-letter topic.
     *
     * @param errorClass the exception class or reason code
     * @param message    why, for people
     */
    record DeadLetter(String errorClass, String message) implements Outcome {
    }
}
