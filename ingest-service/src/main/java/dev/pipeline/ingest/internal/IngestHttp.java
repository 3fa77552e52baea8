package dev.pipeline.ingest.internal;

import java.time.Clock;
import java.time.Duration;

import io.javalin.Javalin;
import org.eclipse.jetty.server.handler.GracefulHandler;

import dev.pipeline.core.handler.Handlers;

/**
 * Builds the ingest HTTP server: explicit routes, exception mapping in one place, a virtual
 * thread per request, and a graceful stop that lets requests under way finish.
 */
public final class IngestHttp {

    /** What the routes need; the service owns the Kafka parts and starts and closes them. */
    public record Parts(String host, int port, int maxBodyBytes, Duration sendTimeout, String replyBaseUrl,
                        String authToken, Handlers handlers, RequestWriter writer, Readiness readiness) {
    }

    private IngestHttp() {
    }

    /**
     * The server, not started. On stop it refuses new connections and waits up to
     * {@code drainTimeout} for requests under way.
     */
    public static Javalin create(Parts parts, Duration drainTimeout) {
        RequestParser parser = new RequestParser(parts.handlers(), Clock.systemUTC());
        RequestRoutes requests = new RequestRoutes(parser, parts.writer(), parts.maxBodyBytes(),
                parts.replyBaseUrl(), parts.sendTimeout());
        HealthRoutes health = new HealthRoutes(parts.readiness());
        return Javalin.create(config -> {
            // a request waits for the broker's acknowledgement: a virtual thread each makes waiting cheap
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            // the routes read bodies with their own limit (BodyReader); this bounds anything else
            config.http.maxRequestSize = parts.maxBodyBytes();
            config.http.prefer405over404 = true;
            config.jetty.host = parts.host();
            config.jetty.port = parts.port();
            config.jetty.modifyServer(server -> {
                // tracks requests under way, so stop() can wait for them instead of cutting them off
                server.insertHandler(new GracefulHandler());
                server.setStopTimeout(drainTimeout.toMillis());
                // its 503 to requests that come while it drains: problem+json with Retry-After
                server.setErrorHandler(new JettyErrors());
            });
            ProblemMapping.install(config.routes);
            if (parts.authToken() != null) {
                config.routes.before("/v1/*", new BearerAuth(parts.authToken()));
            }
            config.routes.post("/v1/requests", requests::submitOne);
            config.routes.post("/v1/requests/batch", requests::submitBatch);
            config.routes.get("/health/live", health::live);
            config.routes.get("/health/ready", health::ready);
        });
    }
}
