package dev.pipeline.reply.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.pipeline.core.message.RequestId;

/**
 * The reply store. One writer (the consumer thread) adds batches with {@link #write}; any thread
 * reads, on connections of its own. Replies are kept by request id, first reply wins, and each
 * new one gets a higher cursor than every reply committed before it.
 */
public final class ReplyStore implements AutoCloseable {

    private final StoreSettings settings;
    private final ConnectionFactory connections;
    private final ReplyWriter writer;
    private final ReadPool readers;

    public ReplyStore(StoreSettings settings) {
        this.settings = settings;
        this.connections = new ConnectionFactory(settings);
        this.writer = new ReplyWriter(connections);
        this.readers = new ReadPool(connections, settings.readConnections());
    }

    /**
     * Connects and creates the schema where it is missing.
     *
     * @throws StoreException when the database cannot be reached or refuses the schema
     */
    public void open() {
        connections.prepare();
        try {
            writer.createSchema();
        } catch (SQLException e) {
            throw new StoreException("cannot open the reply store " + settings.redactedUrl() + ": " + e.getMessage(), e);
        }
        if (!ping()) {
            throw new StoreException("the reply store " + settings.redactedUrl() + " does not answer readers", null);
        }
    }

    public Dialect dialect() {
        return connections.dialect();
    }

    /** The store's URL with any password hidden. */
    public String describe() {
        return settings.redactedUrl();
    }

    /**
     * Stores a batch in one transaction: new request ids are inserted, the others counted as
     * duplicates; {@code unparseable} is added to the counters in the same transaction. For the
     * consumer thread only.
     *
     * @throws SQLException when nothing of the batch was stored
     */
    public WriteResult write(List<IncomingReply> replies, int unparseable) throws SQLException {
        return writer.write(replies, unparseable);
    }

    /** The reply JSON of a request, as the processor wrote it. */
    public Optional<String> find(RequestId id) {
        return readers.read("look up a reply", connection -> {
            try (PreparedStatement select = connection.prepareStatement(Sql.SELECT_BY_ID)) {
                select.setString(1, id.value());
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /**
     * Up to {@code limit} replies after {@code after}, in store order.
     *
     * @param client only this client's replies; empty for every client's
     */
    public Page page(Optional<String> client, Cursor after, int limit) {
        return readers.read("read a page of replies", connection -> {
            String sql = client.isPresent() ? Sql.PAGE_OF_CLIENT : Sql.PAGE_OF_ALL;
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                int i = 1;
                if (client.isPresent()) {
                    select.setString(i++, client.get());
                }
                select.setLong(i++, after.seq());
                // one more than asked tells whether more follow without a second query
                select.setInt(i, limit + 1);
                List<StoredReply> items = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        items.add(new StoredReply(new Cursor(rows.getLong(1)), rows.getString(2)));
                    }
                }
                boolean more = items.size() > limit;
                return new Page(more ? items.subList(0, limit) : items, more);
            }
        });
    }

    public StoreStats stats() {
        return readers.read("read the store's counters", connection -> {
            try (PreparedStatement select = connection.prepareStatement(Sql.SELECT_COUNTERS);
                 ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("the reply_counters row is missing");
                }
                return new StoreStats(rows.getLong(1), rows.getLong(2), rows.getLong(3));
            }
        });
    }

    /** Whether the store answers a trivial query now. */
    public boolean ping() {
        try {
            return readers.read("ping the store", connection -> {
                try (PreparedStatement select = connection.prepareStatement(Sql.PING);
                     ResultSet rows = select.executeQuery()) {
                    return rows.next();
                }
            });
        } catch (StoreException e) {
            return false;
        }
    }

    /** Closes readers, then the writer. Call after the consumer thread has stopped writing. */
    @Override
    public void close() {
        readers.close();
        writer.close();
    }
}
