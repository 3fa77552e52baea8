package dev.pipeline.reply;

import java.time.Duration;

import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.runtime.ConfigException;
import dev.pipeline.reply.store.Dialect;
import dev.pipeline.reply.store.StoreSettings;

/**
 * The reply service's settings, validated here so that a bad value stops start-up with a message
 * naming it.
 *
 * @param host       address to listen on; 127.0.0.1 by default, 0.0.0.0 in a container
 * @param port       HTTP port; 0 picks a free one (read it back with {@link ReplyService#port()})
 * @param storeUrl   {@code jdbc:sqlite:<file>} (default {@code jdbc:sqlite:data/replies.db}) or
 *                   {@code jdbc:postgresql://host[:port]/db}
 * @param dbUser     database user, or null (SQLite; or given in the URL)
 * @param dbPassword database password, or null
 * @param groupId    the consumer group; services sharing one store share one group
 * @param maxWait    the longest long-poll; a longer {@code ?wait=} waits this long
 * @param maxWaiters long-polls (and, separately, SSE streams) at once; more get 503
 * @param heartbeat  how often a quiet SSE stream gets a comment line
 * @param authToken  when not null, every /v1 route needs {@code Authorization: Bearer <token>}
 * @param kafka      brokers, topic names, client pass-through
 */
public record ReplyConfig(String host, int port, String storeUrl, String dbUser, String dbPassword, String groupId,
                          Duration maxWait, int maxWaiters, Duration heartbeat, String authToken, KafkaSettings kafka) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8081;
    public static final String DEFAULT_STORE_URL = "jdbc:sqlite:data/replies.db";
    public static final String DEFAULT_GROUP_ID = "pipeline-reply";
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_WAITERS = 10_000;
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);

    public ReplyConfig {
        if (host == null || host.isBlank()) {
            throw new ConfigException("host", host, "must name an address to listen on, e.g. 127.0.0.1 or 0.0.0.0");
        }
        if (port < 0 || port > 65_535) {
            throw new ConfigException("port", port, "must be between 0 and 65535");
        }
        storeUrl = checkStoreUrl(storeUrl);
        dbUser = blankToNull(dbUser);
        dbPassword = blankToNull(dbPassword);
        if (groupId == null || groupId.isBlank()) {
            throw new ConfigException("group", groupId, "must name the consumer group, e.g. " + DEFAULT_GROUP_ID);
        }
        requireBetween("max wait", maxWait, Duration.ofSeconds(1), Duration.ofMinutes(10));
        if (maxWaiters < 1 || maxWaiters > 1_000_000) {
            throw new ConfigException("max waiters", maxWaiters, "must be between 1 and 1000000");
        }
        requireBetween("heartbeat", heartbeat, Duration.ofMillis(100), Duration.ofMinutes(5));
        authToken = blankToNull(authToken);
        if (authToken != null && (!authToken.strip().equals(authToken) || authToken.contains(" "))) {
            throw new ConfigException("auth token", "(hidden)", "must be non-empty and contain no spaces");
        }
        if (kafka == null) {
            throw new ConfigException("kafka", null, "settings are required");
        }
    }

    /** The defaults: local, port 8081, SQLite under data/, no token. */
    public static ReplyConfig defaults(KafkaSettings kafka) {
        return new ReplyConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_STORE_URL, null, null, DEFAULT_GROUP_ID,
                DEFAULT_MAX_WAIT, DEFAULT_MAX_WAITERS, DEFAULT_HEARTBEAT, null, kafka);
    }

    public ReplyConfig withPort(int port) {
        return new ReplyConfig(host, port, storeUrl, dbUser, dbPassword, groupId, maxWait, maxWaiters, heartbeat,
                authToken, kafka);
    }

    public ReplyConfig withStore(String storeUrl, String dbUser, String dbPassword) {
        return new ReplyConfig(host, port, storeUrl, dbUser, dbPassword, groupId, maxWait, maxWaiters, heartbeat,
                authToken, kafka);
    }

    public ReplyConfig withGroupId(String groupId) {
        return new ReplyConfig(host, port, storeUrl, dbUser, dbPassword, groupId, maxWait, maxWaiters, heartbeat,
                authToken, kafka);
    }

    public ReplyConfig withWaiting(Duration maxWait, int maxWaiters, Duration heartbeat) {
        return new ReplyConfig(host, port, storeUrl, dbUser, dbPassword, groupId, maxWait, maxWaiters, heartbeat,
                authToken, kafka);
    }

    public ReplyConfig withAuthToken(String authToken) {
        return new ReplyConfig(host, port, storeUrl, dbUser, dbPassword, groupId, maxWait, maxWaiters, heartbeat,
                authToken, kafka);
    }

    public StoreSettings store() {
        return StoreSettings.of(storeUrl, dbUser, dbPassword);
    }

    @Override
    public String toString() {
        // the password and the token are secrets: never in a log line
        return "ReplyConfig[host=" + host + ", port=" + port + ", store=" + store() + ", groupId=" + groupId
                + ", maxWait=" + maxWait + ", maxWaiters=" + maxWaiters + ", heartbeat=" + heartbeat
                + ", authToken=" + (authToken == null ? "none" : "(set)") + ", kafka=" + kafka + "]";
    }

    private static String checkStoreUrl(String url) {
        if (url == null || Dialect.of(url.strip()).isEmpty()) {
            throw new ConfigException("store", url == null ? null : StoreSettings.of(url, null, null).redactedUrl(),
                    "must be jdbc:sqlite:<file> or jdbc:postgresql://host[:port]/database");
        }
        StoreSettings settings = StoreSettings.of(url.strip(), null, null);
        if (settings.dialect() == Dialect.SQLITE && settings.sqliteFile().isEmpty()) {
            throw new ConfigException("store", settings.redactedUrl(),
                    "must name a file: the writer and the readers use separate connections, which an in-memory database cannot share");
        }
        if (url.toLowerCase().contains("rewritebatchedinserts=true")) {
            throw new ConfigException("store", settings.redactedUrl(),
                    "must not set reWriteBatchedInserts: it hides which replies were duplicates");
        }
        return url.strip();
    }

    private static void requireBetween(String setting, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(setting, value, "must be between " + min + " and " + max);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
