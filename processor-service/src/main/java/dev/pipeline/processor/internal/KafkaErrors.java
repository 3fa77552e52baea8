package dev.pipeline.processor.internal;

import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Sorts the Kafka errors a worker meets into what it must do, in one place (after Kafka's
 * {@code ExactlyOnceMessageProcessor} example and KIP-1050's error classes).
 */
public final class KafkaErrors {

    /** What a worker does about an error. */
    public enum Action {
        /** shut the process down: retrying cannot help (no rights, broker too old, config) */
        FATAL,
        /** the producer is unusable (fenced, epoch bumped by a timeout): close both clients, build new ones */
        RECREATE,
        /** abort the transaction, seek back to the committed offsets, go on */
        ABORT
    }

    private KafkaErrors() {
    }

    public static Action classify(RuntimeException e) {
        if (e instanceof AuthorizationException || e instanceof AuthenticationException
                || e instanceof UnsupportedVersionException || e instanceof FencedInstanceIdException) {
            return Action.FATAL;
        }
        // ProducerFencedException and InvalidProducerEpochException are ApplicationRecoverable:
        // another producer took the transactional id, or the coordinator aborted a timed-out transaction
        if (e instanceof ApplicationRecoverableException || e instanceof OutOfOrderSequenceException
                || e instanceof InvalidPidMappingException) {
            return Action.RECREATE;
        }
        // CommitFailedException (fenced from the group by a rebalance), TransactionAbortableException,
        // a failed send, and the rest: the transaction's work is thrown away and redone
        return Action.ABORT;
    }
}
