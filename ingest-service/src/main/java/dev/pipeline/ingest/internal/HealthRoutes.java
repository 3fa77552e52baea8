package dev.pipeline.ingest.internal;

import java.util.Map;

import io.javalin.http.Context;

/** {@code /health/live} (the process answers) and {@code /health/ready} (Kafka answers, topics exist). */
final class HealthRoutes {

    private final Readiness readiness;

    HealthRoutes(Readiness readiness) {
        this.readiness = readiness;
    }

    void live(Context ctx) {
        Responses.json(ctx, 200, Map.of("status", "live"));
    }

    void ready(Context ctx) {
        switch (readiness.check()) {
            case Readiness.Status.Ready ready -> Responses.json(ctx, 200, Map.of("status", "ready"));
            case Readiness.Status.NotReady notReady -> throw new ProblemException(Problem.notReady(notReady.reason()));
        }
    }
}
