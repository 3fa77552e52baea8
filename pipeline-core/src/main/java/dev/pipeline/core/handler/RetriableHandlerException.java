package dev.pipeline.core.handler;

/** A transient handler failure: the processor retries it with backoff, up to its limit. */
public class RetriableHandlerException extends Exception {

    public RetriableHandlerException(String message) {
        super(message);
    }

    public RetriableHandlerException(String message, Throwable cause) {
        super(message, cause);
    }
}
