package dev.pipeline.processor.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.handler.Handler;
import dev.pipeline.core.handler.HandlerContext;
import dev.pipeline.core.handler.Handlers;
import dev.pipeline.core.handler.PermanentHandlerException;
import dev.pipeline.core.handler.RetriableHandlerException;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;
import dev.pipeline.core.message.ReplyError;
import dev.pipeline.core.message.ReplyStatus;
import dev.pipeline.core.message.Request;

/**
 * Decides what one request record becomes, running its handler with retries: every readable
 * request gets a reply ({@code ok}, {@code error}, {@code expired}, {@code rejected}); a record
 * that cannot be read becomes a dead letter. Knows nothing of Kafka. Thread-safe; called by
 * worker threads.
 */
public final class RequestProcessor {

    private static final Logger log = LoggerFactory.getLogger(RequestProcessor.class);

    /** Waits between attempts; interruptible so shutdown can cut a backoff short. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Handlers handlers;
    private final HandlerInvoker invoker;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Clock clock;
    private final Sleeper sleeper;

    public RequestProcessor(Handlers handlers, HandlerInvoker invoker, Backoff backoff, int maxAttempts,
                            Clock clock, Sleeper sleeper) {
        this.handlers = handlers;
        this.invoker = invoker;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * The outcome of one record's value.
     *
     * @param processor who is processing, for the reply's {@code processor} field
     * @throws InterruptedException when the worker is stopping: the batch is to be aborted
     */
    public Outcome process(byte[] value, String processor) throws InterruptedException {
        Request request;
        try {
            if (value == null) {
                return new Outcome.DeadLetter("NullValue", "the record has no value");
            }
            request = Json.readRequest(value);
        } catch (IOException | RuntimeException e) {
            // malformed JSON, a missing required field, an invalid id: nothing to reply to
            return new Outcome.DeadLetter(e.getClass().getName(), firstLine(e.getMessage()));
        }
        if (request.v() != Request.VERSION) {
            return new Outcome.DeadLetter("UnsupportedVersion", "request format version " + request.v()
                    + " is not supported (this processor reads version " + Request.VERSION + ")");
        }
        MDC.put("requestId", request.id().value());
        try {
            return new Outcome.Replied(reply(request, processor));
        } finally {
            MDC.remove("requestId");
        }
    }

    private Reply reply(Request request, String processor) throws InterruptedException {
        Instant started = clock.instant();
        if (request.expiredAt(started)) {
            return reply(request, processor, ReplyStatus.EXPIRED, null,
                    new ReplyError("deadline_passed", "the deadline " + request.deadline() + " passed before it ran"), 0, started);
        }
        Optional<Handler> handler = handlers.find(request.type());
        if (handler.isEmpty()) {
            return reply(request, processor, ReplyStatus.REJECTED, null,
                    new ReplyError("unknown_type", "no handler for type '" + request.type() + "'; known: " + handlers.types()), 0, started);
        }
        Optional<String> invalid;
        try {
            invalid = handler.get().validate(request.payload());
        } catch (RuntimeException e) {
            invalid = Optional.of("the handler's payload check failed: " + e);
        }
        if (invalid.isPresent()) {
            return reply(request, processor, ReplyStatus.REJECTED, null, new ReplyError("invalid_payload", invalid.get()), 0, started);
        }
        return run(handler.get(), request, processor, started);
    }

    /** Calls the handler up to maxAttempts times, backing off between transient failures. */
    private Reply run(Handler handler, Request request, String processor, Instant started) throws InterruptedException {
        String lastFailure = "";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                JsonNode result = invoker.invoke(handler, new HandlerContext(request, attempt));
                return reply(request, processor, ReplyStatus.OK, result, null, attempt, started);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof PermanentHandlerException) {
                    return reply(request, processor, ReplyStatus.ERROR, null,
                            new ReplyError("handler_failed", firstLine(cause.getMessage())), attempt, started);
                }
                if (cause instanceof InterruptedException) {
                    lastFailure = "interrupted";
                } else {
                    lastFailure = cause instanceof RetriableHandlerException
                            ? firstLine(cause.getMessage())
                            : cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage());
                }
                // a retriable failure is expected behaviour, not an error in this service
                log.debug("attempt {} of {} failed: {}", attempt, maxAttempts, lastFailure);
            } catch (TimeoutException e) {
                lastFailure = "timed out after " + invoker.timeout().toMillis() + " ms";
                log.debug("attempt {} of {} timed out", attempt, maxAttempts);
            }
            if (attempt == maxAttempts) {
                break;
            }
            Duration wait = backoff.delay(attempt);
            if (request.deadline() != null && clock.instant().plus(wait).isAfter(request.deadline())) {
                return reply(request, processor, ReplyStatus.ERROR, null, new ReplyError("deadline_reached",
                        "gave up after attempt " + attempt + " because the deadline would pass: " + lastFailure), attempt, started);
            }
            sleeper.sleep(wait);
        }
        return reply(request, processor, ReplyStatus.ERROR, null,
                new ReplyError("handler_failed", "failed " + maxAttempts + " attempts; last: " + lastFailure), maxAttempts, started);
    }

    private Reply reply(Request request, String processor, ReplyStatus status, JsonNode result, ReplyError error,
                        int attempts, Instant started) {
        Instant now = clock.instant();
        return new Reply(Reply.VERSION, request.id(), request.client(), request.type(), status, result, error, attempts,
                processor, request.submittedAt(), now, Duration.between(started, now).toMillis());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 500 ? line.substring(0, 500) + "..." : line;
    }
}
