package dev.pipeline.cli.send;

/**
 * The run cannot go on: ingest, the reply service or Kafka cannot be reached, or refuses every
 * call. The message says which and where; the command prints it and exits with 1.
 */
public final class SendException extends RuntimeException {

    public SendException(String message) {
        super(message);
    }

    public SendException(String message, Throwable cause) {
        super(message, cause);
    }
}
