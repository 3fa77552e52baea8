package dev.pipeline.cli.send;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;

/**
 * {@code GET /v1/replies/stream?client=X}: one long-lived connection delivering the client's
 * replies as Server-Sent Events. When the connection drops, the reading thread reconnects with
 * {@code Last-Event-ID} and a growing backoff, so nothing in between is lost.
 *
 * <p>Threads: {@link #start()} and {@link #close()} run on the caller's thread; everything else
 * on the feed's own reading thread. {@link #close()} closes the current body stream, which ends
 * a blocked read.
 */
final class SseFeed implements ReplyFeed {

    private static final Logger log = LoggerFactory.getLogger(SseFeed.class);

    /** How long the response headers may take. Not an HttpRequest timeout: newer JDKs apply that to the whole body. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http;
    private final HttpEndpoint replies;
    private final String client;
    private final Consumer<Reply> sink;
    private volatile boolean closed;
    /** the body being read; replaced by the reading thread on reconnect, closed by close() */
    private volatile InputStream body;
    private Thread reader;

    SseFeed(HttpClient http, HttpEndpoint replies, String client, Consumer<Reply> sink) {
        this.http = http;
        this.replies = replies;
        this.client = client;
        this.sink = sink;
    }

    @Override
    public boolean start() {
        HttpResponse<InputStream> response;
        try {
            response = connect(null);
        } catch (IOException e) {
            throw new SendException("cannot reach the reply service at " + replies.base() + ": " + HttpEndpoint.describe(e), e);
        }
        int status = response.statusCode();
        if (status == 200 && isEventStream(response)) {
            body = response.body();
            reader = Thread.ofPlatform().daemon().name("replies-sse-" + client).start(this::run);
            return true;
        }
        byte[] text = readAndClose(response.body());
        // no stream here, or (429, 503) all the service's stream slots are taken: paging will do
        if (status == 200 || status == 404 || status == 405 || status == 406 || status == 429 || status == 501 || status == 503) {
            return false;
        }
        throw PagingFeed.refused(replies, status, text);
    }

    /** The reading thread: read events until closed, reconnecting after each drop. */
    private void run() {
        SseParser parser = new SseParser(null);
        long backoffMillis = 250;
        while (!closed) {
            try {
                read(body, parser);
                backoffMillis = 250;
            } catch (IOException e) {
                if (!closed) {
                    log.debug("reply stream of {} dropped: {}", client, HttpEndpoint.describe(e));
                }
            }
            while (!closed) {
                if (!pause(backoffMillis)) {
                    return;
                }
                backoffMillis = Math.min(MAX_BACKOFF.toMillis(), backoffMillis * 2);
                if (reconnect(parser.lastEventId())) {
                    parser.newConnection();
                    break;
                }
            }
        }
    }

    private void read(InputStream in, SseParser parser) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while (!closed && (line = lines.readLine()) != null) {
            SseParser.Event event = parser.line(line);
            if (event != null && (event.event().equals("reply") || event.event().equals("message"))) {
                deliver(event);
            }
        }
    }

    private void deliver(SseParser.Event event) {
        Reply reply;
        try {
            reply = Json.mapper().readValue(event.data(), Reply.class);
        } catch (IOException e) {
            log.warn("skipping a reply event of {} that is not a reply (id {}): {}", client, event.id(), e.getMessage());
            return;
        }
        sink.accept(reply);
    }

    /** One reconnect attempt from the reading thread; false to try again later. */
    private boolean reconnect(String lastEventId) {
        try {
            HttpResponse<InputStream> response = connect(lastEventId);
            if (response.statusCode() == 200) {
                body = response.body();
                if (closed) {
                    closeQuietly(body);
                }
                return true;
            }
            log.warn("reply stream of {} answered {} on reconnect; retrying", client, response.statusCode());
            readAndClose(response.body());
        } catch (IOException e) {
            log.warn("reply stream of {} cannot reconnect to {}: {}; retrying", client, replies.base(), HttpEndpoint.describe(e));
        }
        return false;
    }

    private HttpResponse<InputStream> connect(String lastEventId) throws IOException {
        HttpRequest.Builder request = replies.request("/v1/replies/stream?client=" + HttpEndpoint.encode(client))
                .header("Accept", "text/event-stream")
                .GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        CompletableFuture<HttpResponse<InputStream>> response =
                http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try {
            return response.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            response.cancel(true);
            throw new IOException("no answer within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting", e);
        }
    }

    private boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            // close() interrupts to stop the thread
            return false;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(body);
        if (reader != null) {
            reader.interrupt();
            try {
                if (!reader.join(CLOSE_TIMEOUT)) {
                    log.warn("the reply stream reader of {} did not stop within {} s", client, CLOSE_TIMEOUT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean isEventStream(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
    }

    static byte[] readAndClose(InputStream in) {
        try (in) {
            return in.readNBytes(4096);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in == null) {
            return;
        }
        try {
            in.close();
        } catch (IOException e) {
            // closing to stop reading: nothing more to do
        }
    }
}
