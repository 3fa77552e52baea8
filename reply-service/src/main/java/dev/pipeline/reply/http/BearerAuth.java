package dev.pipeline.reply.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.javalin.http.Context;

/**
 * The optional bearer token: when configured, every {@code /v1} request needs
 * {@code Authorization: Bearer <token>}; health routes stay open for probes.
 */
final class BearerAuth {

    private final byte[] expected;

    /** @param token the token, or null for no authentication */
    BearerAuth(String token) {
        this.expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** A before-handler: ends the request with 401 unless it may pass. */
    void check(Context ctx) {
        if (expected == null || !ctx.path().startsWith("/v1/")) {
            return;
        }
        String header = ctx.header("Authorization");
        // constant-time: the comparison must not tell an attacker how much of a guess was right
        if (header == null || !MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ProblemException(Problem.unauthorized(header == null
                    ? "this service needs an Authorization: Bearer <token> header"
                    : "the bearer token is not the one this service accepts"));
        }
    }
}
