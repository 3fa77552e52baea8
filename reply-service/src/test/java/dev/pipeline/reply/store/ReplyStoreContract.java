package dev.pipeline.reply.store;

import static dev.pipeline.reply.testing.TestReplies.incoming;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RequestId;

/**
 * What every store dialect must do; {@link SqliteReplyStoreTest} and
 * {@link PostgresReplyStoreTest} run these against a real database.
 */
interface ReplyStoreContract {

    /** Settings of a new, empty store. */
    StoreSettings freshStore();

    private static ReplyStore open(StoreSettings settings) {
        ReplyStore store = new ReplyStore(settings);
        store.open();
        return store;
    }

    @Test
    default void firstReplyWinsAndLaterOnesAreCountedAsDuplicates() throws SQLException {
        try (ReplyStore store = open(freshStore())) {
            IncomingReply first = incoming("r-1", "alice", "first");
            IncomingReply second = incoming("r-1", "alice", "second");

            WriteResult firstWrite = store.write(List.of(first), 0);
            WriteResult secondWrite = store.write(List.of(second), 0);

            assertThat(firstWrite.inserted()).containsExactly(first);
            assertThat(firstWrite.duplicates()).isZero();
            assertThat(secondWrite.inserted()).isEmpty();
            assertThat(secondWrite.duplicates()).isEqualTo(1);
            assertThat(store.find(new RequestId("r-1"))).contains(first.json());
            assertThat(store.stats()).isEqualTo(new StoreStats(1, 1, 0));
        }
    }

    @Test
    default void aDuplicateWithinOneBatchIsStoredOnce() throws SQLException {
        try (ReplyStore store = open(freshStore())) {
            IncomingReply a = incoming("r-a", "alice", "a");
            IncomingReply b1 = incoming("r-b", "alice", "b first");
            IncomingReply b2 = incoming("r-b", "alice", "b second");

            WriteResult result = store.write(List.of(a, b1, b2), 2);

            assertThat(result.inserted()).containsExactly(a, b1);
            assertThat(result.duplicates()).isEqualTo(1);
            assertThat(store.find(new RequestId("r-b"))).contains(b1.json());
            assertThat(store.stats()).isEqualTo(new StoreStats(2, 1, 2));
        }
    }

    @Test
    default void servesTheReplyJsonExactlyAsWritten() throws Exception {
        String json = "{ \"v\": 1, \"requestId\": \"r-raw\", \"client\": \"alice\", \"type\": \"echo\","
                + " \"status\": \"ok\", \"result\": {\"text\": \"h\\u00e9llo \\\"x\\\"\"}, \"attempts\": 1,"
                + " \"processingMs\": 3, \"future\": [1, 2] }";
        try (ReplyStore store = open(freshStore())) {
            store.write(List.of(new IncomingReply(Json.readReply(json.getBytes()), json)), 0);

            assertThat(store.find(new RequestId("r-raw"))).contains(json);
        }
    }

    @Test
    default void aNulInTheClientIsStoredInsteadOfStallingTheStore() throws SQLException {
        try (ReplyStore store = open(freshStore())) {
            WriteResult write = store.write(List.of(incoming("r-nul", "a\u0000b", "x")), 0);

            assertThat(write.inserted()).hasSize(1);
            assertThat(store.find(new RequestId("r-nul"))).isPresent();
        }
    }

    @Test
    default void anUnknownRequestIdIsNotFound() {
        try (ReplyStore store = open(freshStore())) {
            assertThat(store.find(new RequestId("never-stored"))).isEmpty();
            assertThat(store.stats()).isEqualTo(new StoreStats(0, 0, 0));
        }
    }

    @Test
    default void pagingByCursorReturnsEveryReplyOnceInStoreOrder() throws SQLException {
        try (ReplyStore store = open(freshStore())) {
            List<String> written = new ArrayList<>();
            for (int batch = 0; batch < 5; batch++) {
                List<IncomingReply> replies = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    IncomingReply reply = incoming("r-" + batch + "-" + i, "alice", "x");
                    replies.add(reply);
                    written.add(reply.json());
                }
                store.write(replies, 0);
            }

            List<String> read = new ArrayList<>();
            List<Cursor> cursors = new ArrayList<>();
            Cursor after = Cursor.START;
            Page page;
            int pages = 0;
            do {
                page = store.page(Optional.of("alice"), after, 7);
                page.items().forEach(item -> {
                    read.add(item.json());
                    cursors.add(item.cursor());
                });
                after = page.last().orElse(after);
                pages++;
            } while (page.hasMore());

            assertThat(read).containsExactlyElementsOf(written);
            assertThat(cursors).isSorted().doesNotHaveDuplicates();
            assertThat(pages).isEqualTo(4); // 7 + 7 + 7 + 4
            assertThat(store.page(Optional.of("alice"), after, 7).items()).isEmpty();
        }
    }

    @Test
    default void aClientsPagesHoldOnlyItsReplies() throws SQLException {
        try (ReplyStore store = open(freshStore())) {
            List<IncomingReply> replies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                replies.add(incoming("r-" + i, i % 3 == 0 ? "bob" : "alice", "x" + i));
            }
            store.write(replies, 0);

            Page bob = store.page(Optional.of("bob"), Cursor.START, 100);
            Page all = store.page(Optional.empty(), Cursor.START, 100);
            Page nobody = store.page(Optional.of("carol"), Cursor.START, 100);

            assertThat(bob.items()).extracting(StoredReply::json)
                    .containsExactly(replies.get(0).json(), replies.get(3).json(), replies.get(6).json(), replies.get(9).json());
            assertThat(bob.hasMore()).isFalse();
            assertThat(all.items()).hasSize(10);
            assertThat(nobody.items()).isEmpty();
            assertThat(nobody.last()).isEmpty();
        }
    }

    @Test
    default void cursorsKeepGrowingAndCountersSurviveAReopen() throws SQLException {
        StoreSettings settings = freshStore();
        Cursor lastBefore;
        try (ReplyStore store = open(settings)) {
            store.write(List.of(incoming("r-1", "alice", "1"), incoming("r-2", "alice", "2")), 1);
            lastBefore = store.page(Optional.empty(), Cursor.START, 10).last().orElseThrow();
        }
        try (ReplyStore store = open(settings)) {
            WriteResult replay = store.write(List.of(incoming("r-2", "alice", "2 again"), incoming("r-3", "alice", "3")), 0);
            Page after = store.page(Optional.empty(), lastBefore, 10);

            assertThat(replay.inserted()).extracting(IncomingReply::requestId).containsExactly(new RequestId("r-3"));
            assertThat(after.items()).hasSize(1);
            assertThat(after.items().getFirst().cursor()).isGreaterThan(lastBefore);
            assertThat(store.stats()).isEqualTo(new StoreStats(3, 1, 1));
        }
    }

    @Test
    default void aBatchOfOnlyUnparseableRecordsIsCounted() throws SQLException {
        try (ReplyStore store = open(freshStore())) {
            WriteResult result = store.write(List.of(), 3);

            assertThat(result.inserted()).isEmpty();
            assertThat(store.stats()).isEqualTo(new StoreStats(0, 0, 3));
        }
    }

    @Test
    default void manyReadersReadWhileTheWriterWrites() throws Exception {
        try (ReplyStore store = open(freshStore())) {
            Set<String> seen = new LinkedHashSet<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int batch = 0; batch < 20; batch++) {
                    List<IncomingReply> replies = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        replies.add(incoming("w-" + batch + "-" + i, "alice", "x"));
                    }
                    try {
                        store.write(replies, 0);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            Cursor after = Cursor.START;
            while (true) {
                boolean writerDone = !writer.isAlive();
                Page page = store.page(Optional.of("alice"), after, 13);
                for (StoredReply item : page.items()) {
                    assertThat(seen.add(item.json())).as("a reply read twice: %s", item.json()).isTrue();
                }
                after = page.last().orElse(after);
                if (writerDone && page.items().isEmpty()) {
                    break; // read everything written, the last page after the writer had finished
                }
            }
            writer.join();

            assertThat(seen).hasSize(200);
        }
    }
}
