package dev.pipeline.reply.store;

import org.junit.jupiter.api.BeforeEach;

import dev.pipeline.reply.testing.PostgresServer;
import dev.pipeline.reply.testing.WithPostgres;

/** The store contract on a real PostgreSQL server, a fresh database per test. */
@WithPostgres
class PostgresReplyStoreTest implements ReplyStoreContract {

    private PostgresServer postgres;

    @BeforeEach
    void server(PostgresServer postgres) {
        this.postgres = postgres;
    }

    @Override
    public StoreSettings freshStore() {
        return StoreSettings.of(postgres.createDatabase(), null, null);
    }
}
