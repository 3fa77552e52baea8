package dev.pipeline.cli.chaos;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.pipeline.core.message.Json;

/**
 * Keyed requests with per-key sequence numbers (in the request id and the accepted log), sent
 * through ingest: one virtual thread per key
 * sends its requests one after another (the next only once the last was accepted), so the order
 * of a key's requests is known. A request refused with 503 or 429, or cut off by a broken
 * connection, is sent again with the same id until accepted. Every accepted request is logged
 * ({@code {"id","key","seq"}} per line) for the checker.
 */
final class Workload {

    /** What happened: counts and the statuses seen. */
    record Result(long accepted, long retried, long notAccepted, Map<Integer, Long> statuses, double seconds) {
    }

    private static final Duration GIVE_UP = Duration.ofMinutes(3);

    private final String ingestUrl;
    private final int workMs;
    private final java.util.function.BooleanSupplier keepGoing;
    private final int requests;
    private final int keys;
    private final double rate;
    private final Path acceptedLog;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong nextSlot = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong notAccepted = new AtomicLong();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

    /**
     * @param workMs    each request is a {@code sleep} of this many milliseconds, so that a
     *                  processor spends its time inside transactions, where a kill hurts most
     * @param keepGoing asked after a key has sent its share: while true, the key sends more
     *                  (the faults are not over yet)
     */
    Workload(String ingestUrl, int requests, int keys, double rate, int workMs, java.util.function.BooleanSupplier keepGoing,
             Path acceptedLog) {
        this.ingestUrl = ingestUrl;
        this.workMs = workMs;
        this.keepGoing = keepGoing;
        this.requests = requests;
        this.keys = keys;
        this.rate = rate;
        this.acceptedLog = acceptedLog;
    }

    Result run() throws InterruptedException {
        long start = System.nanoTime();
        nextSlot.set(start);
        try (BufferedWriter log = Files.newBufferedWriter(acceptedLog, StandardCharsets.UTF_8)) {
            List<Thread> senders = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                String key = "key-" + k;
                int count = requests / keys + (k < requests % keys ? 1 : 0);
                senders.add(Thread.ofVirtual().name("chaos-" + key).start(() -> {
                    try {
                        sendKey(key, count, log);
                    } catch (Throwable t) {
                        // a key that dies must not pass unnoticed: it counts as not accepted
                        notAccepted.incrementAndGet();
                        System.err.printf("chaos: the sender of %s failed: %s%n", key, t);
                    }
                }));
            }
            for (Thread sender : senders) {
                sender.join();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + acceptedLog, e);
        } finally {
            http.close();
        }
        Map<Integer, Long> seen = new java.util.TreeMap<>();
        statuses.forEach((status, n) -> seen.put(status, n.get()));
        return new Result(accepted.get(), retried.get(), notAccepted.get(), seen, (System.nanoTime() - start) / 1e9);
    }

    private void sendKey(String key, int count, BufferedWriter log) {
        for (int seq = 0; seq < count || keepGoing.getAsBoolean(); seq++) {
            String id = "chaos-" + key + "-" + seq + "-" + UUID.randomUUID();
            String body = Json.toString(Map.of("id", id, "client", "chaos", "type", "sleep", "key", key, "payload", workMs));
            pace();
            if (send(id, body)) {
                accepted.incrementAndGet();
                String line = Json.toString(Map.of("id", id, "key", key, "seq", seq));
                synchronized (log) {
                    try {
                        log.write(line);
                        log.newLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            } else {
                notAccepted.incrementAndGet();
                return; // the next of this key would overtake it: stop the key
            }
        }
    }

    /** Sends until accepted; false if refused for good (a 4xx other than 429) or after {@link #GIVE_UP}. */
    private boolean send(String id, String body) {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingestUrl + "/v1/requests"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        while (System.nanoTime() < deadline) {
            Duration wait;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                statuses.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
                if (response.statusCode() == 202) {
                    return true;
                }
                if (response.statusCode() != 503 && response.statusCode() != 429) {
                    System.err.printf("chaos: request %s refused with %d: %s%n", id, response.statusCode(), response.body());
                    return false;
                }
                long after = retryAfterSeconds(response);
                wait = Duration.ofMillis(Math.min(1_000, Math.max(100, after * 1_000)));
            } catch (IOException e) {
                statuses.computeIfAbsent(-1, s -> new AtomicLong()).incrementAndGet();
                wait = Duration.ofMillis(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            retried.incrementAndGet();
            LockSupport.parkNanos(wait.toNanos());
        }
        return false;
    }

    private static long retryAfterSeconds(HttpResponse<?> response) {
        try {
            return response.headers().firstValueAsLong("Retry-After").orElse(1);
        } catch (NumberFormatException e) {
            return 1; // an HTTP date, or junk: wait the least
        }
    }

    /** One request per 1/rate seconds across all keys; after an outage the senders catch up at once. */
    private void pace() {
        long slot = nextSlot.getAndAdd((long) (1e9 / rate));
        for (long now = System.nanoTime(); slot > now; now = System.nanoTime()) {
            LockSupport.parkNanos(slot - now);
        }
    }
}
