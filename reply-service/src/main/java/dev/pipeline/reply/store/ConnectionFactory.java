package dev.pipeline.reply.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Opens connections to the store, each set up the way its dialect needs. */
final class ConnectionFactory {

    private final StoreSettings settings;
    private final Dialect dialect;

    ConnectionFactory(StoreSettings settings) {
        this.settings = settings;
        this.dialect = settings.dialect();
    }

    Dialect dialect() {
        return dialect;
    }

    /** Creates the SQLite file's folder: SQLite creates the file, not the folders above it. */
    void prepare() {
        Path parent = settings.sqliteFile().map(Path::toAbsolutePath).map(Path::getParent).orElse(null);
        if (parent == null) {
            return;
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StoreException("cannot create the store's folder " + parent + ": " + e.getMessage(), e);
        }
    }

    Connection open() throws SQLException {
        Properties properties = new Properties();
        if (settings.user() != null) {
            properties.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        Connection connection = DriverManager.getConnection(settings.url(), properties);
        try (Statement statement = connection.createStatement()) {
            for (String sql : dialect.sessionSetup()) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            closeQuietly(connection, e);
            throw e;
        }
        return connection;
    }

    /** Closes a connection that is being given up after {@code cause}; a failure to close is added to it. */
    static void closeQuietly(Connection connection, Exception cause) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Whether a connection that just failed can still be used, or must be replaced. */
    static boolean usable(Connection connection) {
        try {
            return connection != null && connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
