package dev.pipeline.reply.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of connections for HTTP readers, apart from the writer's: in SQLite's WAL mode
 * readers on their own connections never wait for the writer, nor it for them. A connection
 * that fails and is no longer valid is replaced on its next use. Any thread may read.
 */
final class ReadPool implements AutoCloseable {

    /** What a reader does with a borrowed connection. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** A place for one connection; null until first used or after it broke. */
    private static final class Slot {
        Connection connection;
    }

    private static final long BORROW_TIMEOUT_MS = 10_000;

    private final ConnectionFactory factory;
    private final BlockingQueue<Slot> idle;
    private final int size;
    private volatile boolean closed;

    ReadPool(ConnectionFactory factory, int size) {
        this.factory = factory;
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            idle.add(new Slot());
        }
    }

    /**
     * Runs {@code work} on a reader connection.
     *
     * @param what for the error message, e.g. "look up a reply"
     * @throws StoreException when the store fails or every connection stays busy for 10 s
     */
    <T> T read(String what, Work<T> work) {
        Slot slot = borrow(what);
        try {
            if (slot.connection == null) {
                slot.connection = factory.open();
            }
            return work.apply(slot.connection);
        } catch (SQLException e) {
            if (!ConnectionFactory.usable(slot.connection)) {
                ConnectionFactory.closeQuietly(slot.connection, e);
                slot.connection = null;
            }
            throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
        } finally {
            giveBack(slot);
        }
    }

    private Slot borrow(String what) {
        if (closed) {
            throw new StoreException("cannot " + what + ": the store is closed", null);
        }
        try {
            Slot slot = idle.poll(BORROW_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (slot == null) {
                throw new StoreException("cannot " + what + ": all " + size + " read connections stayed busy for "
                        + BORROW_TIMEOUT_MS + " ms", null);
            }
            return slot;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("cannot " + what + ": interrupted", e);
        }
    }

    private void giveBack(Slot slot) {
        if (closed) {
            closeSlot(slot);
        }
        idle.add(slot);
    }

    /** Closes idle connections now; one in use is closed when it is given back. */
    @Override
    public void close() {
        closed = true;
        Slot slot;
        while ((slot = idle.poll()) != null) {
            closeSlot(slot);
        }
    }

    private static void closeSlot(Slot slot) {
        Connection connection = slot.connection;
        slot.connection = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing at shutdown: nothing left to do with this connection
            }
        }
    }
}
