package dev.pipeline.reply.store;

/** The statements both dialects share. */
final class Sql {

    static final String CREATE_CLIENT_INDEX =
            "CREATE INDEX IF NOT EXISTS replies_client_seq ON replies (client, seq)";

    /**
     * One counters row, seeded from the table so that a store created before the counters
     * existed still reports its size. {@code WHERE true} keeps SQLite's parser from reading
     * ON CONFLICT as a join clause.
     */
    static final String INIT_COUNTERS = """
            INSERT INTO reply_counters (id, stored, duplicates, unparseable)
            SELECT 1, count(*), 0, 0 FROM replies WHERE true
            ON CONFLICT (id) DO NOTHING""";

    /** First reply wins: a later reply with the same request id changes nothing (update count 0). */
    static final String INSERT_REPLY = """
            INSERT INTO replies (request_id, client, type, status, reply) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (request_id) DO NOTHING""";

    static final String ADD_TO_COUNTERS = """
            UPDATE reply_counters
            SET stored = stored + ?, duplicates = duplicates + ?, unparseable = unparseable + ?
            WHERE id = 1""";

    static final String SELECT_COUNTERS = "SELECT stored, duplicates, unparseable FROM reply_counters WHERE id = 1";

    static final String SELECT_BY_ID = "SELECT reply FROM replies WHERE request_id = ?";

    static final String PAGE_OF_CLIENT =
            "SELECT seq, reply FROM replies WHERE client = ? AND seq > ? ORDER BY seq LIMIT ?";

    static final String PAGE_OF_ALL = "SELECT seq, reply FROM replies WHERE seq > ? ORDER BY seq LIMIT ?";

    static final String PING = "SELECT 1";

    private Sql() {
    }
}
