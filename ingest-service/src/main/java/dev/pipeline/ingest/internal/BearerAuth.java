package dev.pipeline.ingest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.Header;

/** A before-handler: the request must carry {@code Authorization: Bearer <token>}, else 401. */
final class BearerAuth implements Handler {

    private static final String SCHEME = "bearer ";

    private final byte[] token;

    BearerAuth(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(Context ctx) {
        String header = ctx.header(Header.AUTHORIZATION);
        if (header == null || header.length() <= SCHEME.length()
                || !header.substring(0, SCHEME.length()).equalsIgnoreCase(SCHEME)) {
            throw unauthorized(ctx, "this route needs an Authorization: Bearer <token> header");
        }
        byte[] presented = header.substring(SCHEME.length()).strip().getBytes(StandardCharsets.UTF_8);
        // constant time: how long the comparison takes must not tell how much of the token matched
        if (!MessageDigest.isEqual(presented, token)) {
            throw unauthorized(ctx, "the bearer token is not valid");
        }
    }

    private static ProblemException unauthorized(Context ctx, String detail) {
        ctx.header(Header.WWW_AUTHENTICATE, "Bearer");
        return new ProblemException(Problem.unauthorized(detail));
    }
}
