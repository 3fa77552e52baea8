package dev.pipeline.e2e;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.message.Json;
import dev.pipeline.e2e.BadRequests.Case;

/**
 * Sends the cases of {@link BadRequests} to ingest and judges each answer against the contract:
 * the expected status; for an error, {@code application/problem+json} with {@code type},
 * {@code title}, {@code status} and {@code detail}; for a 202, the id and reply URL; for a batch,
 * one result per non-blank line. A case that gets no answer (a reset, a timeout) is wrong too.
 * Thread-safe: many threads send at once.
 */
final class IngestAnswers {

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String ingestUrl;

    IngestAnswers(String ingestUrl) {
        this.ingestUrl = ingestUrl;
    }

    /** What came back for one case, and what was wrong with it. */
    record Answer(Case sent, int status, List<String> errors, List<String> acceptedIds) {
    }

    /** Sends one case and judges the answer; never throws. */
    Answer send(Case c) {
        byte[] body = c.body().bytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ingestUrl + c.path())).timeout(ANSWER_TIMEOUT);
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        HttpRequest.BodyPublisher publisher = switch (c.transfer()) {
            case LENGTH -> HttpRequest.BodyPublishers.ofByteArray(body);
            case CHUNKED -> HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
            case EXPECT_CONTINUE -> {
                request.expectContinue(true);
                yield HttpRequest.BodyPublishers.ofByteArray(body);
            }
        };
        boolean bodiless = c.method().equals("GET") || c.method().equals("DELETE");
        request.method(c.method(), bodiless ? HttpRequest.BodyPublishers.noBody() : publisher);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return new Answer(c, -1, List.of("no answer: " + e), List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(c, -1, List.of("interrupted"), List.of());
        }
        List<String> errors = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() != c.status()) {
            errors.add("status " + response.statusCode() + ": " + abbreviate(text));
        } else if (c.status() == BadBodies.ACCEPTED) {
            checkAccepted(response, text, errors, accepted);
        } else if (c.status() == BadRequests.BATCH_ANSWERED) {
            checkBatch(c, response, text, errors, accepted);
        } else {
            checkProblem(response, text, errors);
        }
        return new Answer(c, response.statusCode(), errors, accepted);
    }

    private static void checkProblem(HttpResponse<byte[]> response, String text, List<String> errors) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/problem+json")) {
            errors.add("Content-Type " + type);
        }
        JsonNode problem = parse(text, errors);
        if (problem != null) {
            checkProblemFields(problem, response.statusCode(), errors);
        }
    }

    private static void checkProblemFields(JsonNode problem, int status, List<String> errors) {
        if (!problem.path("status").isInt() || problem.get("status").asInt() != status) {
            errors.add("problem status " + problem.get("status") + " for " + status);
        }
        for (String field : List.of("type", "title", "detail")) {
            if (!problem.path(field).isTextual() || problem.get(field).asText().isBlank()) {
                errors.add("problem without " + field + ": " + abbreviate(problem.toString()));
            }
        }
    }

    private static void checkAccepted(HttpResponse<byte[]> response, String text, List<String> errors, List<String> accepted) {
        JsonNode body = parse(text, errors);
        if (body == null) {
            return;
        }
        if (!body.path("id").isTextual() || !body.path("replyUrl").isTextual()) {
            errors.add("a 202 without id and replyUrl: " + abbreviate(text));
            return;
        }
        if (!response.headers().firstValue("Location").orElse("").equals(body.get("replyUrl").asText())) {
            errors.add("Location " + response.headers().firstValue("Location") + " is not the replyUrl");
        }
        accepted.add(body.get("id").asText());
    }

    private static void checkBatch(Case c, HttpResponse<byte[]> response, String text, List<String> errors, List<String> accepted) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith(BadRequests.NDJSON)) {
            errors.add("Content-Type " + type);
        }
        String[] results = text.isEmpty() ? new String[0] : text.split("\n");
        if (results.length != c.lines().size()) {
            errors.add(results.length + " results for " + c.lines().size() + " lines: " + abbreviate(text));
            return;
        }
        for (int i = 0; i < results.length; i++) {
            BadRequests.Line expected = c.lines().get(i);
            JsonNode result = parse(results[i], errors);
            if (result == null) {
                continue;
            }
            if (result.path("line").asInt() != expected.number() || result.path("status").asInt() != expected.status()) {
                errors.add("line " + expected.number() + " expected " + expected.status() + ", got " + abbreviate(results[i]));
            } else if (expected.status() == BadBodies.ACCEPTED) {
                if (!result.path("id").isTextual()) {
                    errors.add("an accepted line without id: " + abbreviate(results[i]));
                } else {
                    accepted.add(result.get("id").asText());
                }
            } else {
                checkProblemFields(result.path("problem"), expected.status(), errors);
            }
        }
    }

    private static JsonNode parse(String text, List<String> errors) {
        try {
            JsonNode node = Json.mapper().readTree(text);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // reported below
        }
        errors.add("not a JSON object: " + abbreviate(text));
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
