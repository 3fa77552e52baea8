package dev.pipeline.core.handler;

/** A handler failure that retrying cannot fix: the reply is {@code error} at once. */
public class PermanentHandlerException extends Exception {

    public PermanentHandlerException(String message) {
        super(message);
    }

    public PermanentHandlerException(String message, Throwable cause) {
        super(message, cause);
    }
}
