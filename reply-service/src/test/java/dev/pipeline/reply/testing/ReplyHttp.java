package dev.pipeline.reply.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.message.Json;

/** A small HTTP client for the reply service's API. */
public final class ReplyHttp {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    public ReplyHttp(int port) {
        this(port, null);
    }

    public ReplyHttp(int port, String token) {
        this.baseUrl = "http://127.0.0.1:" + port;
        this.token = token;
    }

    public HttpClient client() {
        return client;
    }

    public URI uri(String pathAndQuery) {
        return URI.create(baseUrl + pathAndQuery);
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(90));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    public HttpResponse<String> get(String pathAndQuery) {
        try {
            return client.send(request(pathAndQuery).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
        return client.sendAsync(request(pathAndQuery).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body of a 200 answer as JSON; fails on any other status. */
    public JsonNode json(String pathAndQuery) {
        HttpResponse<String> response = get(pathAndQuery);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long stat(String name) {
        return json("/v1/stats").get(name).asLong();
    }

    /** Follows {@code next} through every page of a client's replies; returns the request ids in order. */
    public List<String> allRequestIds(String client, int limit) {
        List<String> ids = new ArrayList<>();
        String after = "";
        while (true) {
            JsonNode page = json("/v1/replies?client=" + client + "&limit=" + limit + (after.isEmpty() ? "" : "&after=" + after));
            page.get("items").forEach(item -> ids.add(item.get("requestId").asText()));
            if (page.get("items").isEmpty()) {
                return ids;
            }
            after = page.get("next").asText();
        }
    }

    /** Opens an SSE stream; the caller closes it. */
    public SseReader stream(String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder builder = request(pathAndQuery).timeout(Duration.ofMinutes(10));
        headers.forEach(builder::header);
        return SseReader.open(client, builder.build());
    }
}
