package dev.pipeline.core.handler.builtin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.pipeline.core.handler.Handler;
import dev.pipeline.core.handler.HandlerContext;

/** {@code sha256}: the hex SHA-256 of a string payload, or of any other payload's JSON text. */
public final class Sha256 implements Handler {

    @Override
    public String type() {
        return "sha256";
    }

    @Override
    public JsonNode handle(HandlerContext context) throws NoSuchAlgorithmException {
        JsonNode payload = context.payload();
        String text = payload == null ? "null" : payload.isTextual() ? payload.asText() : payload.toString();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return TextNode.valueOf(HexFormat.of().formatHex(digest));
    }
}
