package dev.pipeline.reply.http;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.core.message.Json;
import dev.pipeline.reply.notify.StreamHub;
import dev.pipeline.reply.notify.Waiters;
import dev.pipeline.reply.store.ReplyStore;
import dev.pipeline.reply.store.StoreException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;

/**
 * The reply service's HTTP server: explicit routes, one exception-to-problem mapping, requests
 * on virtual threads (a long poll or a stream holds its thread while it waits, which costs a
 * virtual thread almost nothing). Built in the constructor, listening after {@link #start()}.
 */
public final class ReplyHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplyHttpServer.class);

    /** Idle connections are closed after the longest long-poll plus this margin. */
    private static final Duration IDLE_MARGIN = Duration.ofSeconds(30);
    /** How long stopping waits for answers in flight. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Javalin app;
    private volatile boolean started;

    public ReplyHttpServer(HttpSettings settings, ReplyStore store, Waiters waiters, StreamHub streams,
                           BooleanSupplier consumerRunning) {
        ReplyLookup lookup = new ReplyLookup(store, waiters, settings.maxWait());
        ReplyQueries queries = new ReplyQueries(store);
        ReplyEventStream events = new ReplyEventStream(store, streams, settings.heartbeat());
        Health health = new Health(consumerRunning, store);
        BearerAuth auth = new BearerAuth(settings.authToken());
        this.app = Javalin.create(config -> {
            configureServer(config, settings);
            config.routes.before(auth::check);
            // the stream's path first: /v1/replies/{id} would match it too
            config.routes.get("/v1/replies/stream", events::handle);
            config.routes.get("/v1/replies/{id}", lookup::handle);
            config.routes.get("/v1/replies", queries::page);
            config.routes.get("/v1/stats", queries::stats);
            config.routes.get("/health/live", health::live);
            config.routes.get("/health/ready", health::ready);
            mapExceptions(config);
        });
    }

    private static void configureServer(JavalinConfig config, HttpSettings settings) {
        config.concurrency.useVirtualThreads = true;
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jetty.modifyServer(server -> {
            // stop gracefully: refuse new connections, then let requests in flight finish their
            // answers (bounded); long polls and streams are released just before and still owe
            // their client a 503 or the end of the stream
            server.insertHandler(new GracefulHandler());
            server.setStopTimeout(STOP_TIMEOUT.toMillis());
        });
        config.jetty.addConnector((server, httpConfiguration) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration));
            connector.setHost(settings.host());
            connector.setPort(settings.port());
            // a long poll is silent until its reply comes: the connection must outlive the longest
            // one (SSE streams write a heartbeat well within this)
            connector.setIdleTimeout(settings.maxWait().plus(IDLE_MARGIN).toMillis());
            return connector;
        });
    }

    private static void mapExceptions(JavalinConfig config) {
        config.routes.exception(ProblemException.class, (e, ctx) -> answer(ctx, e.problem()));
        config.routes.exception(StoreException.class, (e, ctx) -> {
            log.warn("{} {}: the reply store failed: {}", ctx.method(), ctx.path(), e.getMessage());
            answer(ctx, Problem.storeUnavailable("the reply store cannot answer now; try again shortly"));
        });
        // Javalin's own answers: unknown route (404), wrong method, ...
        config.routes.exception(HttpResponseException.class, (e, ctx) ->
                answer(ctx, Problem.http(e.getStatus(), title(e.getStatus()), e.getMessage())));
        config.routes.exception(Exception.class, (e, ctx) -> {
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            answer(ctx, Problem.http(500, title(500), "an unexpected error; the service log has the details"));
        });
    }

    private static void answer(Context ctx, Problem problem) {
        if (problem.retryAfterSeconds() != null) {
            ctx.header("Retry-After", Integer.toString(problem.retryAfterSeconds()));
        }
        ctx.status(problem.status()).contentType(Problem.MEDIA_TYPE).result(Json.toString(problem));
    }

    private static String title(int status) {
        HttpStatus known = HttpStatus.forStatus(status);
        return known == HttpStatus.UNKNOWN ? "HTTP " + status : known.getMessage();
    }

    /** Binds the port and starts answering. */
    public void start() {
        started = true;
        app.start();
    }

    /** The bound port; after {@link #start()}. */
    public int port() {
        return app.port();
    }

    /** Stops listening; requests in flight end (long polls and streams must be released first). */
    @Override
    public void close() {
        if (started) {
            app.stop();
        }
    }
}
