package dev.pipeline.e2e;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Single requests to ingest, one every {@code period}, each on its own (asynchronous, up to
 * {@code maxOutstanding} waiting at once), each with an id the client chose, so that the test can
 * look for it in the topics whatever the answer. Records every request's answer or failure.
 */
final class Flood implements AutoCloseable {

    /**
     * What became of one request: an HTTP answer, or a failure with no answer.
     *
     * @param sentNanos {@link System#nanoTime()} when it was sent
     */
    record Answer(String id, long sentNanos, int status, String contentType, String retryAfter, String body, Throwable failure) {

        boolean answered() {
            return failure == null;
        }

        /** Failed to connect at all (the port was closed): the service never saw it. */
        boolean refusedToConnect() {
            return failure instanceof ConnectException;
        }

        @Override
        public String toString() {
            return answered() ? id + ": " + status + " " + contentType + " Retry-After=" + retryAfter + " " + body
                    : id + ": no answer: " + failure;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;
    private final String client;
    private final String idPrefix;
    private final String type;
    private final String payload;
    private final int total;
    private final Semaphore outstanding;
    private final int maxOutstanding;
    private final AtomicInteger sent = new AtomicInteger();
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("flood").daemon().factory());

    private Flood(String ingestUrl, String client, String idPrefix, String type, String payload, int total, int maxOutstanding) {
        this.uri = URI.create(ingestUrl + "/v1/requests");
        this.client = client;
        this.idPrefix = idPrefix;
        this.type = type;
        this.payload = payload;
        this.total = total;
        this.maxOutstanding = maxOutstanding;
        this.outstanding = new Semaphore(maxOutstanding);
    }

    /** Starts at once; {@code total} requests at most ({@link Integer#MAX_VALUE}: until {@link #stop()}). */
    static Flood start(String ingestUrl, String client, String idPrefix, String type, String payload, Duration period,
                       int total, int maxOutstanding) {
        Flood flood = new Flood(ingestUrl, client, idPrefix, type, payload, total, maxOutstanding);
        flood.timer.scheduleAtFixedRate(flood::sendOne, 0, period.toNanos(), TimeUnit.NANOSECONDS);
        return flood;
    }

    private void sendOne() {
        if (sent.get() >= total) {
            timer.shutdown();
            return;
        }
        if (!outstanding.tryAcquire()) {
            return; // the service is slow to answer: skip a beat rather than pile up
        }
        String id = idPrefix + "-" + sent.incrementAndGet();
        long sentNanos = System.nanoTime();
        String body = "{\"id\":\"" + id + "\",\"client\":\"" + client + "\",\"key\":\"k-" + (sent.get() % 16)
                + "\",\"type\":\"" + type + "\",\"payload\":" + payload + "}";
        http.sendAsync(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> {
                    answers.add(response != null
                            ? new Answer(id, sentNanos, response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                                    response.headers().firstValue("Retry-After").orElse(null), response.body(), null)
                            : new Answer(id, sentNanos, 0, null, null, null, unwrap(failure)));
                    outstanding.release();
                });
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Requests sent so far. */
    int sent() {
        return sent.get();
    }

    /** Answers and failures so far. */
    List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** Whether all {@code total} requests were sent and have their outcome. */
    boolean finished() {
        return sent.get() >= total && answers.size() == sent.get();
    }

    /** Sends no more and waits, up to {@code timeout}, for the requests under way; returns every outcome. */
    List<Answer> stop(Duration timeout) throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        if (!outstanding.tryAcquire(maxOutstanding, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError((maxOutstanding - outstanding.availablePermits())
                    + " requests still had no outcome " + timeout + " after the flood stopped");
        }
        outstanding.release(maxOutstanding);
        return answers();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
