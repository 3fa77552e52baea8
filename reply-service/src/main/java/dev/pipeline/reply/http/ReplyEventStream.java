package dev.pipeline.reply.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.reply.notify.StreamHub;
import dev.pipeline.reply.store.Cursor;
import dev.pipeline.reply.store.Page;
import dev.pipeline.reply.store.ReplyStore;
import dev.pipeline.reply.store.StoreException;
import dev.pipeline.reply.store.StoredReply;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /v1/replies/stream?client=X}: Server-Sent Events, one {@code reply} event per stored
 * reply with its cursor as the event id, resuming after {@code Last-Event-ID} (or {@code ?after=}).
 *
 * <p>Written by hand on the response rather than with Javalin's {@code SseClient}: that one only
 * answers requests whose {@code Accept} is exactly {@code text/event-stream} and is fed from
 * other threads; here the request's own virtual thread reads the store from the cursor and
 * writes, then sleeps until the consumer says something new was stored for this client, so a
 * reconnect never misses or repeats a reply and a slow reader never holds up the consumer.
 */
final class ReplyEventStream {

    private static final Logger log = LoggerFactory.getLogger(ReplyEventStream.class);

    /** Replies read from the store at a time while catching up. */
    static final int PAGE_SIZE = 200;
    /** Sent to EventSource clients: how long to wait before reconnecting. */
    static final int RETRY_MS = 2000;

    private final ReplyStore store;
    private final StreamHub hub;
    private final Duration heartbeat;

    ReplyEventStream(ReplyStore store, StreamHub hub, Duration heartbeat) {
        this.store = store;
        this.hub = hub;
        this.heartbeat = heartbeat;
    }

    void handle(Context ctx) throws InterruptedException {
        Optional<String> client = Params.client(ctx.queryParam("client"));
        String lastEventId = ctx.header("Last-Event-ID");
        Cursor start = lastEventId != null && !lastEventId.isBlank()
                ? Params.cursor("Last-Event-ID", lastEventId)
                : Params.cursor("after", ctx.queryParam("after"));
        switch (hub.subscribe(client)) {
            case StreamHub.Admission.Full full -> throw new ProblemException(Problem.tooManyWaiters(
                    full.max() + " streams are open already; page with GET /v1/replies instead, or try later"));
            case StreamHub.Admission.Closed closed -> throw new ProblemException(Problem.stopping());
            case StreamHub.Admission.Admitted admitted -> {
                try (StreamHub.Subscription subscription = admitted.subscription()) {
                    stream(ctx.res(), client, start, subscription);
                }
            }
        }
    }

    private void stream(HttpServletResponse response, Optional<String> client, Cursor start,
                        StreamHub.Subscription subscription) throws InterruptedException {
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no"); // proxies must not hold events back
        boolean shared = store.dialect().sharedByOtherWriters();
        Cursor cursor = start;
        try {
            OutputStream out = response.getOutputStream();
            write(out, "retry: " + RETRY_MS + "\n\n");
            out.flush(); // the client sees the headers now, not with the first reply
            long nextHeartbeat = System.nanoTime() + heartbeat.toNanos();
            while (!subscription.ended()) {
                Page page = store.page(client, cursor, PAGE_SIZE);
                for (StoredReply reply : page.items()) {
                    write(out, event(reply));
                    cursor = reply.cursor();
                }
                if (!page.items().isEmpty()) {
                    out.flush();
                }
                if (page.hasMore()) {
                    continue;
                }
                long untilHeartbeat = Math.max(0, nextHeartbeat - System.nanoTime());
                Duration wait = Duration.ofNanos(untilHeartbeat);
                if (shared && wait.compareTo(ReplyLookup.SHARED_STORE_RECHECK) > 0) {
                    wait = ReplyLookup.SHARED_STORE_RECHECK; // other services' replies wake nobody here
                }
                subscription.await(wait);
                if (System.nanoTime() - nextHeartbeat >= 0) {
                    // a comment keeps proxies and idle timeouts from closing a quiet stream,
                    // and is how a vanished client is noticed
                    write(out, ": heartbeat\n\n");
                    out.flush();
                    nextHeartbeat = System.nanoTime() + heartbeat.toNanos();
                }
            }
        } catch (IOException e) {
            log.debug("SSE client of {} went away after cursor {}: {}", client.orElse("all clients"), cursor, e.toString());
        } catch (StoreException e) {
            // the stream's headers are out: no problem answer is possible; the client reconnects
            // with Last-Event-ID and resumes where it was
            log.warn("ending an SSE stream after cursor {}: {}", cursor, e.getMessage());
        }
    }

    /** id, event and data lines; a JSON text with line breaks becomes several data lines. */
    static String event(StoredReply reply) {
        StringBuilder event = new StringBuilder(reply.json().length() + 48);
        event.append("id: ").append(reply.cursor()).append('\n').append("event: reply\n");
        for (String line : reply.json().split("\r\n|\r|\n", -1)) {
            event.append("data: ").append(line).append('\n');
        }
        return event.append('\n').toString();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
