package dev.pipeline.reply.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.pipeline.core.message.Reply;

/**
 * The store's one writer connection: a batch of replies goes in as one transaction. Used by the
 * thread that creates the schema at start-up, then only by the consumer thread; the methods are
 * synchronized so that the hand-over and a late close cannot interleave with a write.
 */
final class ReplyWriter implements AutoCloseable {

    private final ConnectionFactory factory;
    private Connection connection;

    ReplyWriter(ConnectionFactory factory) {
        this.factory = factory;
    }

    synchronized void createSchema() throws SQLException {
        inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String sql : factory.dialect().schema()) {
                    statement.execute(sql);
                }
            }
            return null;
        });
    }

    /**
     * Inserts the replies whose request id is new, counts the others as duplicates, adds to the
     * counters, and commits; on any failure nothing of the batch is stored.
     */
    synchronized WriteResult write(List<IncomingReply> replies, int unparseable) throws SQLException {
        return inTransaction(connection -> {
            Optional<String> lock = factory.dialect().writeLock();
            if (lock.isPresent()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(lock.get());
                }
            }
            List<IncomingReply> inserted = insert(connection, replies);
            int duplicates = replies.size() - inserted.size();
            try (PreparedStatement counters = connection.prepareStatement(Sql.ADD_TO_COUNTERS)) {
                counters.setLong(1, inserted.size());
                counters.setLong(2, duplicates);
                counters.setLong(3, unparseable);
                counters.executeUpdate();
            }
            return new WriteResult(inserted, duplicates);
        });
    }

    private static List<IncomingReply> insert(Connection connection, List<IncomingReply> replies) throws SQLException {
        if (replies.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement insert = connection.prepareStatement(Sql.INSERT_REPLY)) {
            for (IncomingReply incoming : replies) {
                Reply reply = incoming.reply();
                insert.setString(1, reply.requestId().value());
                insert.setString(2, storable(reply.client()));
                insert.setString(3, storable(reply.type()));
                insert.setString(4, reply.status().wireName());
                insert.setString(5, incoming.json());
                insert.addBatch();
            }
            // statements run in order inside the transaction: a second reply for the same id in
            // this very batch conflicts with the first and counts 0, like one stored earlier
            int[] counts = insert.executeBatch();
            List<IncomingReply> inserted = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    inserted.add(replies.get(i));
                } else if (counts[i] == Statement.SUCCESS_NO_INFO) {
                    // only batch rewriting (reWriteBatchedInserts) hides the counts; the config refuses it
                    throw new SQLException("the JDBC driver did not report which replies were new");
                }
            }
            return inserted;
        }
    }

    /**
     * PostgreSQL refuses NUL in text, and a refused row would stall its partition for good:
     * replace it. Ingest already refuses control characters; this covers direct producers.
     */
    static String storable(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }

    @FunctionalInterface
    private interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        if (connection == null) {
            Connection opened = factory.open();
            try {
                opened.setAutoCommit(false);
            } catch (SQLException e) {
                opened.close();
                throw e;
            }
            // only a connection in manual-commit mode is kept: a batch must be one transaction
            connection = opened;
        }
        try {
            T result = work.apply(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollBack(e);
            throw e;
        }
    }

    /** Rolls back after {@code cause}; a connection that no longer works is dropped and reopened next time. */
    private void rollBack(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        if (!ConnectionFactory.usable(connection)) {
            ConnectionFactory.closeQuietly(connection, cause);
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing at shutdown: a failed close leaves nothing to undo
            }
            connection = null;
        }
    }
}
