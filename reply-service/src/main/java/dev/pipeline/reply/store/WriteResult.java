package dev.pipeline.reply.store;

import java.util.List;

/**
 * What one write transaction did.
 *
 * @param inserted   replies stored for the first time, in batch order
 * @param duplicates replies ignored because their request id was stored already
 */
public record WriteResult(List<IncomingReply> inserted, int duplicates) {

    public WriteResult {
        inserted = List.copyOf(inserted);
    }
}
