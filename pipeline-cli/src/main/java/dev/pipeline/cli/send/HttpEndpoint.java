package dev.pipeline.cli.send;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.message.Json;

/**
 * One of the pipeline's HTTP services as the CLI calls it: its base URL, a name for messages, and
 * the bearer token every {@code /v1} route needs when the service has one.
 *
 * @param name      {@code ingest} or {@code the reply service}, for messages
 * @param base      e.g. {@code http://127.0.0.1:8080}
 * @param authToken null when the services run without authentication
 */
record HttpEndpoint(String name, URI base, String authToken) {

    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(5);

    /** A request to {@code base + pathAndQuery}, with the bearer token if there is one. */
    HttpRequest.Builder request(String pathAndQuery) {
        String root = base.toString();
        if (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(root + pathAndQuery));
        if (authToken != null && !authToken.isEmpty()) {
            builder.header("Authorization", "Bearer " + authToken);
        }
        return builder;
    }

    /**
     * Fails with a clear message unless the service answers {@code GET /health/live} (any status:
     * an answer proves it is there; health routes need no token).
     */
    void checkReachable(HttpClient http) {
        HttpRequest health = request("/health/live").timeout(HEALTH_TIMEOUT).GET().build();
        try {
            http.send(health, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new SendException("cannot reach " + name + " at " + base + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendException("interrupted while checking " + name + " at " + base, e);
        }
    }

    /** A query parameter value, URL-encoded. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** An I/O failure in words: the JDK's connection errors often carry no message. */
    static String describe(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (cause instanceof HttpTimeoutException) {
            return "no answer in time";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        String message = cause.getMessage();
        return message != null ? message : cause.getClass().getSimpleName();
    }

    /** A problem+json (RFC 9457) body as "title: detail", or the start of any other body. */
    static String problem(int status, byte[] body) {
        try {
            JsonNode problem = Json.mapper().readTree(body);
            if (problem != null && problem.isObject()) {
                String title = problem.path("title").asText("");
                String detail = problem.path("detail").asText("");
                String text = title.isEmpty() ? detail : detail.isEmpty() ? title : title + ": " + detail;
                if (!text.isEmpty()) {
                    return text;
                }
            }
        } catch (IOException e) {
            // not JSON: show the raw text below
        }
        String raw = new String(body, StandardCharsets.UTF_8).strip();
        if (raw.isEmpty()) {
            return "HTTP " + status;
        }
        return raw.length() > 200 ? raw.substring(0, 200) + "..." : raw;
    }
}
