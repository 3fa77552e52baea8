package dev.pipeline.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.message.Json;

/**
 * Requests at a steady rate, the way a busy client keeps a pipeline under load: every
 * {@code period} one NDJSON batch of {@code perBatch} requests to ingest's batch route, from one
 * timer thread, until {@code total} were sent or {@link #close()}. Keeps the ids ingest accepted
 * (202) and a line for anything else, so a test can demand that nothing but 202 came back.
 */
final class SteadyLoad implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI batchUri;
    private final String client;
    private final String type;
    private final String payload;
    private final int perBatch;
    private final int keys;
    private final int total;
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("steady-load").daemon().factory());
    /** Timer thread only. */
    private int sent;

    private SteadyLoad(String ingestUrl, String client, String type, String payload, int perBatch, int keys, int total) {
        this.batchUri = URI.create(ingestUrl + "/v1/requests/batch");
        this.client = client;
        this.type = type;
        this.payload = payload;
        this.perBatch = perBatch;
        this.keys = keys;
        this.total = total;
    }

    /**
     * Starts sending at once: {@code type} requests with {@code payload} (JSON) for {@code client}
     * over {@code keys} keys, {@code perBatch} every {@code period}, {@code total} at most.
     */
    static SteadyLoad start(String ingestUrl, String client, String type, String payload, int perBatch, Duration period,
                            int keys, int total) {
        SteadyLoad load = new SteadyLoad(ingestUrl, client, type, payload, perBatch, keys, total);
        load.timer.scheduleAtFixedRate(load::sendBatch, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return load;
    }

    /** Ids of the requests ingest answered 202, in the order of the answers. */
    List<String> accepted() {
        return List.copyOf(accepted);
    }

    /** One line per request that did not get 202, or batch that failed. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** Whether every request was sent (and answered). */
    boolean done() {
        return timer.isTerminated();
    }

    private void sendBatch() {
        int count = Math.min(perBatch, total - sent);
        if (count <= 0) {
            timer.shutdown();
            return;
        }
        StringBuilder body = new StringBuilder();
        for (int i = sent; i < sent + count; i++) {
            body.append("{\"client\":\"").append(client).append("\",\"key\":\"k-").append(i % keys)
                    .append("\",\"type\":\"").append(type).append("\",\"payload\":").append(payload).append("}\n");
        }
        sent += count;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(batchUri)
                    .header("Content-Type", "application/x-ndjson").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                problems.add("batch answered " + response.statusCode() + ": " + response.body());
                return;
            }
            for (String line : response.body().split("\n")) {
                JsonNode result = Json.mapper().readTree(line);
                if (result.get("status").asInt() == 202) {
                    accepted.add(result.get("id").asText());
                } else {
                    problems.add(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the timer must go on: an exception would cancel the schedule silently
            problems.add("batch failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted");
        }
    }

    /** Stops sending and waits for the batch under way. */
    @Override
    public void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(60, TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
