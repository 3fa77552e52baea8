package dev.pipeline.reply.store;

/**
 * A reply as the store holds it.
 *
 * @param cursor where it sits: pass it back as {@code after} to continue behind it
 * @param json   the reply JSON exactly as the processor wrote it
 */
public record StoredReply(Cursor cursor, String json) {
}
