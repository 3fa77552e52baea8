package dev.pipeline.ingest;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;

import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.runtime.ConfigException;

/**
 * The ingest service's settings, validated here so that a bad value stops start-up with a
 * message naming it.
 *
 * @param host           address to listen on; 127.0.0.1 by default, 0.0.0.0 in a container
 * @param port           HTTP port; 0 picks a free one (read it back with {@link IngestService#port()})
 * @param maxBodyBytes   largest request body, batch bodies included; larger ones get 413
 * @param maxInFlight    sends waiting for the broker at once; more get 429
 * @param sendTimeout    how long a write may take before the request gets 503
 * @param replyBaseUrl   where the reply service is, for the {@code replyUrl} of a 202 (no trailing slash)
 * @param authToken      when not null, every /v1 route needs {@code Authorization: Bearer <token>}
 * @param pluginsDir     folder of handler plug-in jars, so the types they add are accepted
 * @param createTopics   create missing topics at start-up (off where an operator manages them)
 * @param startupTimeout how long start-up waits for Kafka when creating topics
 * @param kafka          brokers, topic names, client pass-through
 */
public record IngestConfig(String host, int port, int maxBodyBytes, int maxInFlight, Duration sendTimeout,
                           String replyBaseUrl, String authToken, Path pluginsDir, boolean createTopics,
                           Duration startupTimeout, KafkaSettings kafka) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(5);
    public static final String DEFAULT_REPLY_BASE_URL = "http://127.0.0.1:8081";
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A sanity bound: a body is held in memory while it is handled. Bodies near Kafka's own record
     * limit ({@code max.request.size}, 1 MiB by default) need that raised too, or they get 413 later.
     */
    static final int MAX_BODY_LIMIT = 64 << 20;

    public IngestConfig {
        if (host == null || host.isBlank()) {
            throw new ConfigException("host", host, "must name an address to listen on, e.g. 127.0.0.1 or 0.0.0.0");
        }
        if (port < 0 || port > 65_535) {
            throw new ConfigException("port", port, "must be between 0 and 65535");
        }
        if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_LIMIT) {
            throw new ConfigException("max body bytes", maxBodyBytes, "must be between 1 and " + MAX_BODY_LIMIT);
        }
        if (maxInFlight < 1) {
            throw new ConfigException("max in flight", maxInFlight, "must be at least 1");
        }
        requireBetween("send timeout", sendTimeout, Duration.ofMillis(100), Duration.ofMinutes(5));
        requireBetween("startup timeout", startupTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
        replyBaseUrl = httpUrl(replyBaseUrl);
        if (authToken != null && (authToken.isBlank() || !authToken.strip().equals(authToken) || authToken.contains(" "))) {
            throw new ConfigException("auth token", "(hidden)", "must be non-empty and contain no spaces");
        }
        if (pluginsDir == null) {
            throw new ConfigException("plugins dir", null, "is required");
        }
        if (kafka == null) {
            throw new ConfigException("kafka", null, "settings are required");
        }
    }

    /** The defaults: local, port 8080, no token, topics created at start-up. */
    public static IngestConfig defaults(KafkaSettings kafka) {
        return new IngestConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IN_FLIGHT,
                DEFAULT_SEND_TIMEOUT, DEFAULT_REPLY_BASE_URL, null, Path.of("plugins"), true,
                DEFAULT_STARTUP_TIMEOUT, kafka);
    }

    public IngestConfig withPort(int port) {
        return new IngestConfig(host, port, maxBodyBytes, maxInFlight, sendTimeout, replyBaseUrl, authToken,
                pluginsDir, createTopics, startupTimeout, kafka);
    }

    public IngestConfig withLimits(int maxBodyBytes, int maxInFlight) {
        return new IngestConfig(host, port, maxBodyBytes, maxInFlight, sendTimeout, replyBaseUrl, authToken,
                pluginsDir, createTopics, startupTimeout, kafka);
    }

    public IngestConfig withTimeouts(Duration sendTimeout, Duration startupTimeout) {
        return new IngestConfig(host, port, maxBodyBytes, maxInFlight, sendTimeout, replyBaseUrl, authToken,
                pluginsDir, createTopics, startupTimeout, kafka);
    }

    public IngestConfig withAuthToken(String authToken) {
        return new IngestConfig(host, port, maxBodyBytes, maxInFlight, sendTimeout, replyBaseUrl, authToken,
                pluginsDir, createTopics, startupTimeout, kafka);
    }

    public IngestConfig withCreateTopics(boolean createTopics) {
        return new IngestConfig(host, port, maxBodyBytes, maxInFlight, sendTimeout, replyBaseUrl, authToken,
                pluginsDir, createTopics, startupTimeout, kafka);
    }

    @Override
    public String toString() {
        // the token is a secret: never in a log line
        return "IngestConfig[host=" + host + ", port=" + port + ", maxBodyBytes=" + maxBodyBytes
                + ", maxInFlight=" + maxInFlight + ", sendTimeout=" + sendTimeout + ", replyBaseUrl=" + replyBaseUrl
                + ", authToken=" + (authToken == null ? "none" : "(set)") + ", pluginsDir=" + pluginsDir
                + ", createTopics=" + createTopics + ", startupTimeout=" + startupTimeout + ", kafka=" + kafka + "]";
    }

    private static void requireBetween(String setting, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(setting, value, "must be between " + min + " and " + max);
        }
    }

    private static String httpUrl(String url) {
        String requirement = "must be an absolute http(s) URL such as " + DEFAULT_REPLY_BASE_URL;
        if (url == null) {
            throw new ConfigException("reply base url", null, requirement);
        }
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new ConfigException("reply base url", url, requirement);
            }
        } catch (URISyntaxException e) {
            throw new ConfigException("reply base url", url, requirement);
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
