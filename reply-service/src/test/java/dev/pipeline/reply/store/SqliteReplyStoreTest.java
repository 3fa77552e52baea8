package dev.pipeline.reply.store;

import static dev.pipeline.reply.testing.TestReplies.incoming;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite files, plus what is SQLite's own: the file, its folder, WAL. */
class SqliteReplyStoreTest implements ReplyStoreContract {

    @TempDir
    Path dir;

    private final AtomicInteger databases = new AtomicInteger();

    @Override
    public StoreSettings freshStore() {
        return StoreSettings.of("jdbc:sqlite:" + dir.resolve("db-" + databases.incrementAndGet()).resolve("replies.db"),
                null, null);
    }

    @Test
    void createsTheFileAndItsFolderInWalMode() throws Exception {
        Path file = dir.resolve("nested/deeper/replies.db");
        try (ReplyStore store = new ReplyStore(StoreSettings.of("jdbc:sqlite:" + file, null, null))) {
            store.open();
            store.write(List.of(incoming("r-1", "alice", "x")), 0);
        }

        assertThat(Files.exists(file)).isTrue();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
            assertThat(mode.next()).isTrue();
            assertThat(mode.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void readersAnswerWhileAnotherConnectionHoldsTheWriteLock() throws Exception {
        StoreSettings settings = freshStore();
        try (ReplyStore store = new ReplyStore(settings)) {
            store.open();
            store.write(List.of(incoming("r-1", "alice", "x")), 0);
            try (Connection blocker = DriverManager.getConnection(settings.url());
                 Statement statement = blocker.createStatement()) {
                blocker.setAutoCommit(false);
                statement.execute("INSERT INTO replies (request_id, client, type, status, reply)"
                        + " VALUES ('r-blocker', 'alice', 'echo', 'ok', '{}')");

                // WAL: the uncommitted write neither blocks nor shows to readers
                assertThat(store.find(new dev.pipeline.core.message.RequestId("r-1"))).isPresent();
                assertThat(store.find(new dev.pipeline.core.message.RequestId("r-blocker"))).isEmpty();
                blocker.rollback();
            }
        }
    }
}
