package dev.pipeline.reply.store;

/**
 * The store's counters, kept in the store itself so they survive restarts and are shared by
 * every service writing to it.
 *
 * @param stored      replies stored
 * @param duplicates  replies ignored because a reply with the same request id was stored first
 * @param unparseable records on the replies topic that were not a reply and were skipped
 */
public record StoreStats(long stored, long duplicates, long unparseable) {
}
