package dev.pipeline.ingest.internal;

import io.javalin.http.Context;
import io.javalin.http.Header;

import dev.pipeline.core.message.Json;

/** Writes answers: JSON bodies and problem+json, with the project's one Jackson mapper. */
final class Responses {

    private Responses() {
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.toBytes(body));
    }

    static void problem(Context ctx, Problem problem) {
        if (problem.retryAfterSeconds() != null) {
            ctx.header(Header.RETRY_AFTER, String.valueOf(problem.retryAfterSeconds()));
        }
        ctx.status(problem.status()).contentType(Problem.MEDIA_TYPE).result(Json.toBytes(problem));
    }
}
