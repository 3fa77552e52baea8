package dev.pipeline.cli.send;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;
import dev.pipeline.core.message.ReplyStatus;
import dev.pipeline.core.message.RequestId;

/**
 * A stand-in for ingest and the reply service that speaks their HTTP contract and nothing more:
 * no Kafka, no processor. A POST of a known type is "processed" at once into an {@code ok} reply
 * (unless its type is in {@code neverReplied}), so the CLI's protocol handling can be tested on
 * its own. It does not test the pipeline.
 */
final class FakePipelineHttp implements AutoCloseable {

    /** Knobs of the fake. */
    record Options(boolean overloadFirstAttempt, boolean stream, Set<String> neverReplied, String token) {
        static Options plain() {
            return new Options(false, true, Set.of(), null);
        }
    }

    static final Set<String> KNOWN_TYPES = Set.of("echo", "fib", "sleep");

    private final Options options;
    private final HttpServer ingest;
    private final HttpServer replies;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    /** every POST body as received, retries included */
    final List<JsonNode> posts = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    /** stored replies in arrival order; the cursor is the index; guarded by itself */
    private final List<Reply> stored = new ArrayList<>();
    final AtomicInteger streamsOpened = new AtomicInteger();
    final AtomicInteger pagesListed = new AtomicInteger();
    private volatile boolean closed;

    FakePipelineHttp(Options options) throws IOException {
        this.options = options;
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        ingest = HttpServer.create(any, 0);
        replies = HttpServer.create(any, 0);
        ingest.createContext("/", this::ingest);
        replies.createContext("/", this::replies);
        ingest.setExecutor(executor);
        replies.setExecutor(executor);
        ingest.start();
        replies.start();
    }

    URI ingestUrl() {
        return URI.create("http://127.0.0.1:" + ingest.getAddress().getPort());
    }

    URI replyUrl() {
        return URI.create("http://127.0.0.1:" + replies.getAddress().getPort());
    }

    private void ingest(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/health/")) {
                respond(exchange, 200, "application/json", "{\"status\":\"up\"}");
                return;
            }
            if (!authorized(exchange)) {
                return;
            }
            if (!path.equals("/v1/requests") || !exchange.getRequestMethod().equals("POST")) {
                problem(exchange, 404, "Not Found", path);
                return;
            }
            JsonNode body = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
            posts.add(body);
            String type = body.path("type").asText();
            if (!KNOWN_TYPES.contains(type)) {
                problem(exchange, 422, "Unprocessable Content", "unknown type " + type);
                return;
            }
            String id = body.path("id").asText();
            int attempt = attempts.computeIfAbsent(id, i -> new AtomicInteger()).incrementAndGet();
            if (options.overloadFirstAttempt() && attempt == 1) {
                exchange.getResponseHeaders().add("Retry-After", "0");
                problem(exchange, 429, "Too Many Requests", "in-flight bound reached");
                return;
            }
            if (attempt == (options.overloadFirstAttempt() ? 2 : 1) && !options.neverReplied().contains(type)) {
                store(new Reply(Reply.VERSION, new RequestId(id), body.path("client").asText(), type, ReplyStatus.OK,
                        body.path("payload"), null, 1, "fake", Instant.now(), Instant.now(), 0));
            }
            respond(exchange, 202, "application/json",
                    "{\"id\":\"" + id + "\",\"replyUrl\":\"" + replyUrl() + "/v1/replies/" + id + "\"}");
        }
    }

    private void replies(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (path.startsWith("/health/")) {
                respond(exchange, 200, "application/json", "{\"status\":\"up\"}");
            } else if (!authorized(exchange)) {
                return;
            } else if (path.equals("/v1/replies/stream") && options.stream()) {
                stream(exchange, query.get("client"), exchange.getRequestHeaders().getFirst("Last-Event-ID"));
            } else if (path.equals("/v1/replies/stream")) {
                problem(exchange, 404, "Not Found", "no stream here");
            } else if (path.equals("/v1/replies")) {
                page(exchange, query);
            } else if (path.startsWith("/v1/replies/")) {
                String id = path.substring("/v1/replies/".length());
                Reply reply = find(id);
                if (reply == null) {
                    problem(exchange, 404, "Not Found", "no reply " + id);
                } else {
                    respond(exchange, 200, "application/json", Json.toString(reply));
                }
            } else {
                problem(exchange, 404, "Not Found", path);
            }
        }
    }

    private void stream(HttpExchange exchange, String client, String lastEventId) throws IOException {
        streamsOpened.incrementAndGet();
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        int next = lastEventId == null ? 0 : Integer.parseInt(lastEventId) + 1;
        out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        try {
            while (!closed) {
                List<Reply> batch;
                synchronized (stored) {
                    while (next >= stored.size() && !closed) {
                        stored.wait(100);
                    }
                    batch = List.copyOf(stored.subList(Math.min(next, stored.size()), stored.size()));
                }
                for (Reply reply : batch) {
                    if (reply.client().equals(client)) {
                        out.write(("id: " + next + "\nevent: reply\ndata: " + Json.toString(reply) + "\n\n")
                                .getBytes(StandardCharsets.UTF_8));
                    }
                    next++;
                }
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away
        }
    }

    private void page(HttpExchange exchange, Map<String, String> query) throws IOException {
        pagesListed.incrementAndGet();
        String client = query.get("client");
        int after = query.containsKey("after") ? Integer.parseInt(query.get("after")) : -1;
        int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
        ObjectNode page = Json.mapper().createObjectNode();
        ArrayNode items = page.putArray("items");
        int last = after;
        synchronized (stored) {
            for (int i = after + 1; i < stored.size() && items.size() < limit; i++) {
                if (stored.get(i).client().equals(client)) {
                    items.add(Json.mapper().valueToTree(stored.get(i)));
                }
                last = i;
            }
        }
        if (last >= 0) {
            page.put("next", String.valueOf(last));
        }
        respond(exchange, 200, "application/json", page.toString());
    }

    private void store(Reply reply) {
        synchronized (stored) {
            stored.add(reply);
            stored.notifyAll();
        }
    }

    private Reply find(String id) {
        synchronized (stored) {
            return stored.stream().filter(r -> r.requestId().value().equals(id)).findFirst().orElse(null);
        }
    }

    /** The POSTs of each id, in order. */
    Map<String, List<JsonNode>> postsById() {
        Map<String, List<JsonNode>> byId = new HashMap<>();
        for (JsonNode post : posts) {
            byId.computeIfAbsent(post.path("id").asText(), id -> new ArrayList<>()).add(post);
        }
        return byId;
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        if (options.token() == null || ("Bearer " + options.token()).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        problem(exchange, 401, "Unauthorized", "a bearer token is required");
        return false;
    }

    private static void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        respond(exchange, status, "application/problem+json", Json.mapper().createObjectNode()
                .put("type", "about:blank").put("title", title).put("status", status).put("detail", detail).toString());
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (stored) {
            stored.notifyAll();
        }
        ingest.stop(0);
        replies.stop(0);
        executor.shutdownNow();
    }
}
