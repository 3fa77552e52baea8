package dev.pipeline.reply.store;

/** The store cannot answer now (database down, busy, I/O error); the caller may retry later. */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
