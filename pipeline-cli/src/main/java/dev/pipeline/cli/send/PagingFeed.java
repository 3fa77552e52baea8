package dev.pipeline.cli.send;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;

/**
 * {@code GET /v1/replies?client=X&after=CURSOR&limit=N}, polled: the fallback when the reply
 * service has no SSE stream. Full pages are fetched back to back; after a short page the thread
 * waits {@link #POLL_INTERVAL}. When a page carries no {@code next} cursor the same position is
 * read again later; replies already seen are ignored by the collector.
 *
 * <p>Threads: {@link #start()} and {@link #close()} run on the caller's thread, the polling on the
 * feed's own thread.
 */
final class PagingFeed implements ReplyFeed {

    private static final Logger log = LoggerFactory.getLogger(PagingFeed.class);

    static final int PAGE_LIMIT = 1000;
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http;
    private final HttpEndpoint replies;
    private final String client;
    private final Consumer<Reply> sink;
    private volatile boolean closed;
    /** read and written by the polling thread only, after start() */
    private String cursor;
    private Thread poller;

    PagingFeed(HttpClient http, HttpEndpoint replies, String client, Consumer<Reply> sink) {
        this.http = http;
        this.replies = replies;
        this.client = client;
        this.sink = sink;
    }

    @Override
    public boolean start() {
        HttpResponse<byte[]> first;
        try {
            first = fetch();
        } catch (IOException e) {
            throw new SendException("cannot reach the reply service at " + replies.base() + ": " + HttpEndpoint.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendException("interrupted while connecting to the reply service", e);
        }
        int status = first.statusCode();
        if (status == 404 || status == 405 || status == 501) {
            return false;
        }
        if (status != 200) {
            throw refused(replies, status, first.body());
        }
        accept(first.body());
        poller = Thread.ofPlatform().daemon().name("replies-poll-" + client).start(this::run);
        return true;
    }

    private void run() {
        long backoffMillis = POLL_INTERVAL.toMillis();
        boolean full = false;
        while (!closed) {
            try {
                if (!full) {
                    Thread.sleep(backoffMillis);
                }
                HttpResponse<byte[]> page = fetch();
                if (page.statusCode() == 200) {
                    full = accept(page.body()) >= PAGE_LIMIT;
                    backoffMillis = POLL_INTERVAL.toMillis();
                } else {
                    log.warn("listing the replies of {} answered {}; retrying", client, page.statusCode());
                    full = false;
                    backoffMillis = Math.min(5_000, backoffMillis * 2);
                }
            } catch (IOException e) {
                log.warn("listing the replies of {} failed: {}; retrying", client, HttpEndpoint.describe(e));
                full = false;
                backoffMillis = Math.min(5_000, backoffMillis * 2);
            } catch (InterruptedException e) {
                return; // close() interrupts to stop the thread
            }
        }
    }

    private HttpResponse<byte[]> fetch() throws IOException, InterruptedException {
        String query = "/v1/replies?client=" + HttpEndpoint.encode(client) + "&limit=" + PAGE_LIMIT
                + (cursor != null ? "&after=" + HttpEndpoint.encode(cursor) : "");
        HttpRequest request = replies.request(query).timeout(REQUEST_TIMEOUT).header("Accept", "application/json").GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Hands a page's replies to the sink and moves the cursor; returns how many it held. */
    private int accept(byte[] body) {
        JsonNode page;
        try {
            page = Json.mapper().readTree(body);
        } catch (IOException e) {
            log.warn("a page of replies of {} is not JSON: {}", client, e.getMessage());
            return 0;
        }
        JsonNode items = page.path("items");
        for (JsonNode item : items) {
            try {
                sink.accept(Json.mapper().treeToValue(item, Reply.class));
            } catch (IOException | IllegalArgumentException e) {
                log.warn("skipping an item of {} that is not a reply: {}", client, e.getMessage());
            }
        }
        String next = page.path("next").textValue();
        if (next != null && !next.isEmpty()) {
            cursor = next;
        }
        return items.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (poller != null) {
            poller.interrupt();
            try {
                if (!poller.join(CLOSE_TIMEOUT)) {
                    log.warn("the reply poller of {} did not stop within {} s", client, CLOSE_TIMEOUT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The reply service answered, but not with replies: say why, with a hint for the usual cause. */
    static SendException refused(HttpEndpoint replies, int status, byte[] body) {
        String hint = status == 401 || status == 403 ? " (check --auth-token or PIPELINE_AUTH_TOKEN)" : "";
        return new SendException("the reply service at " + replies.base() + " refused to list replies: "
                + status + " " + HttpEndpoint.problem(status, body) + hint);
    }
}
