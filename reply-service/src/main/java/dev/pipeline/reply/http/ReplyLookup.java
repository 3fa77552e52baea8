package dev.pipeline.reply.http;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.pipeline.core.message.RequestId;
import dev.pipeline.reply.notify.Waiters;
import dev.pipeline.reply.store.ReplyStore;
import io.javalin.http.Context;

/**
 * {@code GET /v1/replies/{id}[?wait=30s]}: the reply JSON as the processor wrote it, or 404. With
 * {@code wait}, a reply not stored yet is waited for (long poll), on the request's own virtual
 * thread, until it arrives or the wait ends.
 */
final class ReplyLookup {

    /**
     * How often a waiter looks at a store that other services also write: their replies wake
     * nobody here, so they are found by looking.
     */
    static final Duration SHARED_STORE_RECHECK = Duration.ofSeconds(1);

    private final ReplyStore store;
    private final Waiters waiters;
    private final Duration maxWait;

    ReplyLookup(ReplyStore store, Waiters waiters, Duration maxWait) {
        this.store = store;
        this.waiters = waiters;
        this.maxWait = maxWait;
    }

    void handle(Context ctx) throws InterruptedException {
        RequestId id = Params.requestId(ctx.pathParam("id"));
        Duration wait = Params.waitFor(ctx.queryParam("wait"), maxWait);
        Optional<String> reply = store.find(id);
        if (reply.isEmpty() && wait.isPositive()) {
            reply = await(id, wait);
        }
        String json = reply.orElseThrow(() -> new ProblemException(Problem.replyNotFound(
                "no reply for request " + id + (wait.isPositive() ? " arrived within " + wait.toMillis() + " ms" : ""))));
        ctx.status(200).contentType("application/json").result(json);
    }

    private Optional<String> await(RequestId id, Duration wait) throws InterruptedException {
        return switch (waiters.register(id, wait)) {
            case Waiters.Admission.Full full -> throw new ProblemException(Problem.tooManyWaiters(
                    full.max() + " requests are waiting for replies already; ask again without wait, or later"));
            case Waiters.Admission.Closed closed -> throw new ProblemException(Problem.stopping());
            case Waiters.Admission.Admitted admitted -> {
                try (Waiters.Registration registration = admitted.registration()) {
                    // registered first, then look: a reply stored in between is found here,
                    // one stored after completes the registration
                    Optional<String> now = store.find(id);
                    yield now.isPresent() ? now : waitOn(registration, id);
                }
            }
        };
    }

    private Optional<String> waitOn(Waiters.Registration registration, RequestId id) throws InterruptedException {
        boolean shared = store.dialect().sharedByOtherWriters();
        while (true) {
            Duration left = registration.remaining();
            if (left.isZero()) {
                return store.find(id); // a last look: the sweep may have dropped the entry late in the wait
            }
            Duration slice = shared && left.compareTo(SHARED_STORE_RECHECK) > 0 ? SHARED_STORE_RECHECK : left;
            try {
                return Optional.of(registration.reply().get(Math.max(1, slice.toMillis()), TimeUnit.MILLISECONDS));
            } catch (TimeoutException e) {
                if (shared) {
                    Optional<String> now = store.find(id);
                    if (now.isPresent()) {
                        return now;
                    }
                }
            } catch (CancellationException e) {
                throw new ProblemException(Problem.stopping());
            } catch (ExecutionException e) {
                throw new IllegalStateException("a reply waiter failed", e.getCause());
            }
        }
    }
}
