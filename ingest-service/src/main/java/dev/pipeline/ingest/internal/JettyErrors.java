package dev.pipeline.ingest.internal;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import dev.pipeline.core.message.Json;

/**
 * Errors Jetty answers itself, before a request reaches the routes, as problem+json like every
 * other answer. The one that matters: while the service drains on SIGTERM, a request that comes
 * on a connection opened earlier gets 503 from Jetty's {@code GracefulHandler}; it must carry
 * {@code Retry-After} so the client comes back (to another instance) instead of giving up.
 * Runs on Jetty's threads; stateless.
 */
final class JettyErrors extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        Problem problem = code == HttpStatus.SERVICE_UNAVAILABLE_503
                ? Problem.notReady("the service is stopping and takes no new requests; retry on another instance or later")
                : Problem.http(code, HttpStatus.getMessage(code), message == null ? HttpStatus.getMessage(code) : message);
        if (problem.retryAfterSeconds() != null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(problem.retryAfterSeconds()));
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        response.write(true, ByteBuffer.wrap(Json.toBytes(problem)), callback);
    }
}
