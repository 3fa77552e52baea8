package dev.pipeline.reply.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the store.
 *
 * @param url             {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://host[:port]/db[?...]}
 * @param user            database user, or null (SQLite, or user in the URL)
 * @param password        database password, or null
 * @param readConnections connections reserved for HTTP readers, apart from the writer's one
 */
public record StoreSettings(String url, String user, String password, int readConnections) {

    public static final int DEFAULT_READ_CONNECTIONS = 4;

    public StoreSettings {
        Objects.requireNonNull(url, "url");
        if (readConnections < 1) {
            throw new IllegalArgumentException("read connections must be at least 1");
        }
    }

    public static StoreSettings of(String url, String user, String password) {
        return new StoreSettings(url, user, password, DEFAULT_READ_CONNECTIONS);
    }

    public Dialect dialect() {
        return Dialect.of(url).orElseThrow(() -> new IllegalArgumentException("unsupported store URL " + redactedUrl()));
    }

    /**
     * The database file of a SQLite URL ({@code jdbc:sqlite:data/replies.db},
     * {@code jdbc:sqlite:file:/abs/replies.db?...}); empty for PostgreSQL and for in-memory databases,
     * which cannot be shared by the writer and the readers' separate connections.
     */
    public Optional<Path> sqliteFile() {
        if (!url.startsWith(Dialect.SQLITE_PREFIX)) {
            return Optional.empty();
        }
        String file = url.substring(Dialect.SQLITE_PREFIX.length());
        if (file.startsWith("file:")) {
            file = file.substring("file:".length());
        }
        int query = file.indexOf('?');
        String options = query < 0 ? "" : file.substring(query);
        file = query < 0 ? file : file.substring(0, query);
        if (file.isBlank() || file.equals(":memory:") || options.contains("mode=memory")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(file));
    }

    /** The URL with any password in it replaced, for logs and start-up messages. */
    public String redactedUrl() {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public String toString() {
        return "StoreSettings[url=" + redactedUrl() + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", readConnections=" + readConnections + "]";
    }
}
