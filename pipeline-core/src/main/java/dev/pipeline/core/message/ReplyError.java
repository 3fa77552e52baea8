package dev.pipeline.core.message;

/**
 * Why a request did not end {@code ok}.
 *
 * @param code    a stable machine-readable code, e.g. {@code handler_failed}, {@code unknown_type}
 * @param message a human-readable explanation
 */
public record ReplyError(String code, String message) {
}
