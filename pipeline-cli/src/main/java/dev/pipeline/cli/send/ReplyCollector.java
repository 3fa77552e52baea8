package dev.pipeline.cli.send;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;
import dev.pipeline.core.message.RequestId;

/**
 * Waits for the replies of the requests sent: one feed per client (SSE, else paging) hands
 * replies in; each one that matches a pending request records its latency and per-key order.
 * When the feeds go quiet with replies still missing, a sweep asks for those ids one by one
 * ({@code GET /v1/replies/{id}}), which covers a stream that started after a reply was stored.
 *
 * <p>Threads: {@link #start}, {@link #expect} and {@link #awaitAll} are called by the sending
 * thread; {@link #onReply} by the feeds' threads and the sweep; {@link #forget} and
 * {@link #rekey} by the senders' callback threads.
 */
final class ReplyCollector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplyCollector.class);

    /** More clients than this in one run get no live feed; their replies are swept. */
    static final int MAX_FEEDS = 64;
    static final Duration FIRST_SWEEP_AFTER = Duration.ofSeconds(2);
    static final Duration MAX_SWEEP_INTERVAL = Duration.ofSeconds(16);
    static final int SWEEP_MAX_IDS = 1000;
    static final int SWEEP_CONCURRENCY = 16;
    /** The longest one sweep may take, every lookup included. */
    static final Duration SWEEP_BUDGET = Duration.ofSeconds(10);

    /** A request whose reply has not been seen yet. */
    record Pending(long submitNanos, String key, long keySequence) {
    }

    private final HttpClient http;
    private final HttpEndpoint replies;
    private final Stats stats;
    private final Ticker ticker;
    private final Map<RequestId, Pending> pending = new ConcurrentHashMap<>();
    /** per ordering key, the send sequence of the last reply seen */
    private final Map<String, Long> lastReplied = new ConcurrentHashMap<>();
    /** sending thread only */
    private final Map<String, Long> sentPerKey = new HashMap<>();
    /** sending thread only (start, expect and close) */
    private final Map<String, ReplyFeed> feeds = new HashMap<>();
    private final Set<String> clientsWithoutFeed = new HashSet<>();
    private final Object allReplied = new Object();
    private volatile long lastActivityNanos;
    private boolean closed;

    ReplyCollector(HttpClient http, HttpEndpoint replies, Stats stats, Ticker ticker) {
        this.http = http;
        this.replies = replies;
        this.stats = stats;
        this.ticker = ticker;
    }

    /**
     * Opens the feeds of the clients known up front, before anything is sent.
     *
     * @throws SendException when the reply service cannot be reached or refuses
     */
    void start(List<String> clients) {
        replies.checkReachable(http);
        for (String client : clients) {
            openFeed(client);
        }
    }

    /** Makes sure the client's replies are fed in; opens its feed when the client is new. */
    void follow(String client) {
        if (feeds.containsKey(client) || clientsWithoutFeed.contains(client)) {
            return;
        }
        if (feeds.size() >= MAX_FEEDS) {
            log.warn("more than {} clients in one run: replies of {} are fetched one by one", MAX_FEEDS, client);
            clientsWithoutFeed.add(client);
            return;
        }
        try {
            openFeed(client);
        } catch (SendException e) {
            log.warn("no live replies for client {}: {}; they are fetched one by one", client, e.getMessage());
            clientsWithoutFeed.add(client);
        }
    }

    /** Registers a request about to be sent, after {@link #follow} of its client. */
    void expect(Submission submission, long submitNanos) {
        String key = submission.orderingKey();
        long sequence = sentPerKey.merge(key, 1L, Long::sum);
        pending.put(submission.id(), new Pending(submitNanos, key, sequence));
    }

    /** The request was not accepted: no reply will come. */
    void forget(RequestId id) {
        pending.remove(id);
        signalIfDone();
    }

    /** Ingest accepted the request under another id than the one sent. */
    void rekey(RequestId sent, RequestId accepted) {
        Pending entry = pending.remove(sent);
        if (entry != null) {
            pending.put(accepted, entry);
        }
    }

    /** A reply from a feed or a sweep; replies of other runs and duplicates are ignored. */
    void onReply(Reply reply) {
        long now = ticker.nanoTime();
        Pending entry = pending.remove(reply.requestId());
        if (entry == null) {
            return;
        }
        lastActivityNanos = now;
        stats.replied(reply.status(), TimeUnit.NANOSECONDS.toMicros(now - entry.submitNanos()), now);
        boolean[] overtook = new boolean[1];
        lastReplied.merge(entry.key(), entry.keySequence(), (last, current) -> {
            overtook[0] = current < last;
            return Math.max(last, current);
        });
        if (overtook[0]) {
            stats.outOfOrder();
        }
        signalIfDone();
    }

    int pendingCount() {
        return pending.size();
    }

    /**
     * Waits until every pending request has its reply or the deadline passes, sweeping when the
     * feeds have been quiet for a while. Call after every send has its outcome.
     *
     * @return true when nothing is missing
     */
    boolean awaitAll(long deadlineNanos) throws InterruptedException {
        long quietLimit = FIRST_SWEEP_AFTER.toNanos();
        lastActivityNanos = Math.max(lastActivityNanos, ticker.nanoTime());
        while (!pending.isEmpty()) {
            long now = ticker.nanoTime();
            if (now - deadlineNanos >= 0) {
                sweep(); // a last look before calling them missing
                break;
            }
            if (now - lastActivityNanos >= quietLimit) {
                sweep();
                lastActivityNanos = ticker.nanoTime();
                quietLimit = Math.min(quietLimit * 2, MAX_SWEEP_INTERVAL.toNanos());
                continue;
            }
            long waitMillis = Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - now)));
            synchronized (allReplied) {
                if (!pending.isEmpty()) {
                    allReplied.wait(waitMillis);
                }
            }
        }
        return pending.isEmpty();
    }

    /**
     * Asks for up to {@link #SWEEP_MAX_IDS} missing replies one by one, {@link #SWEEP_CONCURRENCY}
     * at a time, all within {@link #SWEEP_BUDGET} however slow the service is.
     */
    private void sweep() throws InterruptedException {
        List<RequestId> missing = pending.keySet().stream().limit(SWEEP_MAX_IDS).toList();
        if (missing.isEmpty()) {
            return;
        }
        log.debug("asking for {} missing replies one by one", missing.size());
        long end = ticker.nanoTime() + SWEEP_BUDGET.toNanos();
        Semaphore permits = new Semaphore(SWEEP_CONCURRENCY);
        List<CompletableFuture<Void>> lookups = new ArrayList<>();
        for (RequestId id : missing) {
            long left = end - ticker.nanoTime();
            if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            HttpRequest request = replies.request("/v1/replies/" + HttpEndpoint.encode(id.value()))
                    .timeout(Duration.ofNanos(Math.max(1, end - ticker.nanoTime())))
                    .header("Accept", "application/json").GET().build();
            lookups.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .thenAccept(response -> {
                        if (response.statusCode() == 200) {
                            onSweptReply(response.body());
                        }
                    })
                    .exceptionally(error -> null)
                    .whenComplete((ignored, error) -> permits.release()));
        }
        try {
            CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
                    .get(Math.max(1, end - ticker.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.debug("a sweep of missing replies did not finish: {}", e.toString());
        }
    }

    private void onSweptReply(byte[] body) {
        try {
            onReply(Json.readReply(body));
        } catch (IOException | IllegalArgumentException e) {
            log.warn("the reply service answered a reply that cannot be read: {}", e.getMessage());
        }
    }

    private void openFeed(String client) {
        ReplyFeed sse = new SseFeed(http, replies, client, this::onReply);
        if (sse.start()) {
            feeds.put(client, sse);
            return;
        }
        ReplyFeed paging = new PagingFeed(http, replies, client, this::onReply);
        if (paging.start()) {
            log.info("no reply stream from {} for {}; polling pages of replies", replies.base(), client);
            feeds.put(client, paging);
            return;
        }
        throw new SendException("the reply service at " + replies.base()
                + " serves neither GET /v1/replies/stream nor GET /v1/replies (is it the reply service?)");
    }

    private void signalIfDone() {
        if (pending.isEmpty()) {
            synchronized (allReplied) {
                allReplied.notifyAll();
            }
        }
    }

    /** Stops every feed. Idempotent; called by the sending thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ReplyFeed feed : feeds.values()) {
            try {
                feed.close();
            } catch (RuntimeException e) {
                log.warn("closing a reply feed failed: {}", e.toString());
            }
        }
    }
}
