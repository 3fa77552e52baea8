package dev.pipeline.core.handler;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request handler: the function a processor runs for one request type. Implementations are
 * found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.pipeline.core.handler.Handler}), so a jar in the processor's
 * {@code plugins/} folder adds types without a fork.
 *
 * <p>Handlers are called from many threads at once (worker threads, virtual threads): keep them
 * stateless or thread-safe. They never see Kafka: the processor owns delivery and transactions.
 */
public interface Handler {

    /** The request type this handles, e.g. {@code echo}: lower case letters, digits, '-' and '_'. */
    String type();

    /**
     * Checks a payload before anything runs. Ingest answers 422 with the message; a processor
     * replies {@code rejected}. The default accepts every payload.
     */
    default Optional<String> validate(JsonNode payload) {
        return Optional.empty();
    }

    /**
     * Handles one request and returns the result (any JSON value).
     *
     * @throws RetriableHandlerException for a transient failure: the processor retries with backoff
     * @throws PermanentHandlerException when retrying cannot help: the reply is {@code error} at once
     * @throws InterruptedException      when the call timed out or the processor is stopping
     */
    JsonNode handle(HandlerContext context) throws Exception;
}
