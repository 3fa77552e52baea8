package dev.pipeline.ingest.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become answers: a {@link ProblemException} is written as it
 * is, Javalin's own (404, 405, ...) become problem+json too, and anything else is a 500 that is
 * logged here, once.
 */
final class ProblemMapping {

    private static final Logger log = LoggerFactory.getLogger(ProblemMapping.class);

    private ProblemMapping() {
    }

    static void install(RoutesConfig routes) {
        routes.exception(ProblemException.class, (e, ctx) -> Responses.problem(ctx, e.problem()));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            HttpStatus status = HttpStatus.forStatus(e.getStatus());
            Responses.problem(ctx, Problem.http(e.getStatus(), status.getMessage(), e.getMessage()));
        });
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("{} {} failed unexpectedly", ctx.method(), ctx.path(), e);
            Responses.problem(ctx, Problem.http(500, "Internal server error",
                    "the service failed unexpectedly (" + e.getClass().getSimpleName() + "); see its log"));
        });
    }
}
