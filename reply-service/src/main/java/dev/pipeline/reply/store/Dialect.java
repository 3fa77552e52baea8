package dev.pipeline.reply.store;

import java.util.List;
import java.util.Optional;

/**
 * Everything that differs between SQLite and PostgreSQL, in one place: the schema, the per-session
 * settings and how writers are serialised. The queries themselves are shared ({@link Sql}):
 * {@code INSERT ... ON CONFLICT (request_id) DO NOTHING} reads the same in both.
 */
public enum Dialect {

    SQLITE(List.of(
            // AUTOINCREMENT: a sequence value is never reused, even after rows are deleted,
            // so a cursor handed out once never points at another reply later
            """
            CREATE TABLE IF NOT EXISTS replies (
                seq        INTEGER PRIMARY KEY AUTOINCREMENT,
                request_id TEXT NOT NULL UNIQUE,
                client     TEXT,
                type       TEXT,
                status     TEXT NOT NULL,
                reply      TEXT NOT NULL,
                stored_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            )""",
            Sql.CREATE_CLIENT_INDEX,
            """
            CREATE TABLE IF NOT EXISTS reply_counters (
                id          INTEGER PRIMARY KEY CHECK (id = 1),
                stored      BIGINT NOT NULL,
                duplicates  BIGINT NOT NULL,
                unparseable BIGINT NOT NULL
            )""",
            Sql.INIT_COUNTERS),
            List.of(
                    // readers and the writer on other connections wait for a lock instead of failing at once
                    "PRAGMA busy_timeout = 5000",
                    // WAL: readers never block the writer, the writer never blocks readers
                    "PRAGMA journal_mode = WAL",
                    // FULL: a commit is on disk before Kafka offsets are committed after it,
                    // so a power loss cannot lose replies whose offsets are already committed
                    "PRAGMA synchronous = FULL"),
            null),

    POSTGRESQL(List.of(
            // two services starting on one database at once would race on CREATE TABLE IF NOT EXISTS
            "SELECT pg_advisory_xact_lock(7262531)",
            """
            CREATE TABLE IF NOT EXISTS replies (
                seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                request_id TEXT NOT NULL UNIQUE,
                client     TEXT,
                type       TEXT,
                status     TEXT NOT NULL,
                reply      TEXT NOT NULL,
                stored_at  TIMESTAMPTZ NOT NULL DEFAULT now()
            )""",
            Sql.CREATE_CLIENT_INDEX,
            """
            CREATE TABLE IF NOT EXISTS reply_counters (
                id          INTEGER PRIMARY KEY CHECK (id = 1),
                stored      BIGINT NOT NULL,
                duplicates  BIGINT NOT NULL,
                unparseable BIGINT NOT NULL
            )""",
            Sql.INIT_COUNTERS),
            List.of(
                    // a reader or writer stuck behind a lock fails instead of hanging a request forever
                    "SET statement_timeout = 30000"),
            // Several reply services may write one database. Sequence values are taken at insert time
            // but become visible at commit, so two concurrent writers could commit seq 10 before 9 and
            // a reader paging "after 10" would never see 9. Serialising writers makes commit order
            // sequence order; SHARE ROW EXCLUSIVE does not block readers (ACCESS SHARE).
            "LOCK TABLE replies IN SHARE ROW EXCLUSIVE MODE");

    static final String SQLITE_PREFIX = "jdbc:sqlite:";
    static final String POSTGRESQL_PREFIX = "jdbc:postgresql://";

    private final List<String> schema;
    private final List<String> sessionSetup;
    private final String writeLock;

    Dialect(List<String> schema, List<String> sessionSetup, String writeLock) {
        this.schema = schema;
        this.sessionSetup = sessionSetup;
        this.writeLock = writeLock;
    }

    /** The dialect of a JDBC URL, if it is one the store supports. */
    public static Optional<Dialect> of(String url) {
        if (url == null) {
            return Optional.empty();
        }
        if (url.startsWith(SQLITE_PREFIX)) {
            return Optional.of(SQLITE);
        }
        if (url.startsWith(POSTGRESQL_PREFIX)) {
            return Optional.of(POSTGRESQL);
        }
        return Optional.empty();
    }

    /** Statements that create what is missing, run in one transaction at start-up. */
    List<String> schema() {
        return schema;
    }

    /** Statements run once on every new connection. */
    List<String> sessionSetup() {
        return sessionSetup;
    }

    /** The first statement of every write transaction, if writers need serialising. */
    Optional<String> writeLock() {
        return Optional.ofNullable(writeLock);
    }

    /**
     * Whether other processes may add replies to the same store, so that waiting readers must
     * look at the store now and then instead of relying only on this process's consumer.
     */
    public boolean sharedByOtherWriters() {
        return this == POSTGRESQL;
    }
}
