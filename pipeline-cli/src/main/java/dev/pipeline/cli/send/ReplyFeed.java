package dev.pipeline.cli.send;

/**
 * A live feed of one client's replies from the reply service: the SSE stream, or paging when the
 * service has no stream. Each feed owns one reading thread, started by {@link #start()} and
 * stopped by {@link #close()}; it hands replies to the collector from that thread.
 */
sealed interface ReplyFeed extends AutoCloseable permits SseFeed, PagingFeed {

    /**
     * Connects (synchronously, so a failure is seen before anything is sent) and starts reading.
     *
     * @return false when the service does not serve this kind of feed (404, 405, 406, 501), or
     *         (a stream) has no room for another (429)
     * @throws SendException when the service cannot be reached or refuses (401, 403, 5xx)
     */
    boolean start();

    /** Stops the reading thread within a bound. Idempotent. */
    @Override
    void close();
}
