package dev.pipeline.reply.store;

import java.util.List;
import java.util.Optional;

/**
 * Replies after a cursor, in store order.
 *
 * @param items   at most the requested number of replies
 * @param hasMore whether more replies were already stored behind the last item when it was read
 */
public record Page(List<StoredReply> items, boolean hasMore) {

    public Page {
        items = List.copyOf(items);
    }

    /** Where to continue: the cursor of the last item, empty for an empty page. */
    public Optional<Cursor> last() {
        return items.isEmpty() ? Optional.empty() : Optional.of(items.getLast().cursor());
    }
}
