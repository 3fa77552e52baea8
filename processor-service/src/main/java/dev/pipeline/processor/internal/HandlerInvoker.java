package dev.pipeline.processor.internal;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.handler.Handler;
import dev.pipeline.core.handler.HandlerContext;

/**
 * Calls a handler with a time limit. The call runs on its own virtual thread; past the limit it
 * is interrupted and abandoned, and the caller gets a {@link TimeoutException}. Thread-safe.
 */
public final class HandlerInvoker implements AutoCloseable {

    private final Duration timeout;
    private final ExecutorService calls = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("handler-", 0).factory());

    public HandlerInvoker(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Runs the handler and returns its result.
     *
     * @throws ExecutionException   wrapping what the handler threw
     * @throws TimeoutException     when it ran past the timeout
     * @throws InterruptedException when the calling thread is interrupted (shutdown)
     */
    public JsonNode invoke(Handler handler, HandlerContext context)
            throws ExecutionException, TimeoutException, InterruptedException {
        Future<JsonNode> call = calls.submit(() -> handler.handle(context));
        try {
            return call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            call.cancel(true);
            throw e;
        }
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }
}
