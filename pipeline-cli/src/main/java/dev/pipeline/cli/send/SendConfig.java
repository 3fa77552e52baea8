package dev.pipeline.cli.send;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.runtime.ConfigException;

/**
 * Everything one send run needs, validated: a bad value throws {@link ConfigException} naming the
 * option. Build one with {@link #of(Source, Target, URI)} and adjust it with the {@code with}
 * methods.
 *
 * @param source       where the requests come from
 * @param client       the client id of generated requests and of lines that name none
 * @param target       through ingest, or straight to Kafka
 * @param replyUrl     the reply service, e.g. {@code http://127.0.0.1:8081}; replies are read
 *                     from it in both modes
 * @param authToken    bearer token for both HTTP services, or null
 * @param rate         requests per second, evenly spaced; 0 for no limit
 * @param concurrency  requests in flight at most
 * @param awaitReplies whether to wait for the replies
 * @param timeout      how long to wait for replies after the last send
 * @param retries      retries of one request on 429, 503 or a connection failure
 * @param progress     whether to draw a progress line on stderr
 */
public record SendConfig(Source source, String client, Target target, URI replyUrl, String authToken, double rate,
                         int concurrency, boolean awaitReplies, Duration timeout, int retries, boolean progress) {

    public static final int DEFAULT_CONCURRENCY = 64;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_RETRIES = 10;

    public SendConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        if (client == null || client.isBlank() || client.length() > 200) {
            throw new ConfigException("--client", client, "must be 1-200 characters");
        }
        if (target instanceof Ingest ingest) {
            requireHttp("--url", ingest.url());
        }
        if (awaitReplies) {
            requireHttp("--reply-url", replyUrl);
        }
        if (Double.isNaN(rate) || rate < 0 || rate > 10_000_000) {
            throw new ConfigException("--rate", rate, "must be between 0 (no limit) and 10000000 per second");
        }
        if (concurrency < 1 || concurrency > 10_000) {
            throw new ConfigException("--concurrency", concurrency, "must be between 1 and 10000");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new ConfigException("--timeout", timeout, "must be positive, e.g. 60s");
        }
        if (retries < 0 || retries > 1000) {
            throw new ConfigException("--retries", retries, "must be between 0 and 1000");
        }
        if (authToken != null && authToken.isBlank()) {
            authToken = null;
        }
    }

    /** Defaults: no rate limit, 64 in flight, wait up to 60 s for the replies, 10 retries, no progress line. */
    public static SendConfig of(Source source, Target target, URI replyUrl) {
        return new SendConfig(source, randomClient(), target, replyUrl, null, 0, DEFAULT_CONCURRENCY, true, DEFAULT_TIMEOUT, DEFAULT_RETRIES, false);
    }

    /** {@code cli-} and 8 random hex digits: a client of its own, so its reply stream holds only this run. */
    public static String randomClient() {
        return "cli-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    public SendConfig withClient(String newClient) {
        return new SendConfig(source, newClient, target, replyUrl, authToken, rate, concurrency, awaitReplies, timeout, retries, progress);
    }

    public SendConfig withRate(double newRate) {
        return new SendConfig(source, client, target, replyUrl, authToken, newRate, concurrency, awaitReplies, timeout, retries, progress);
    }

    public SendConfig withConcurrency(int newConcurrency) {
        return new SendConfig(source, client, target, replyUrl, authToken, rate, newConcurrency, awaitReplies, timeout, retries, progress);
    }

    public SendConfig withAuthToken(String newAuthToken) {
        return new SendConfig(source, client, target, replyUrl, newAuthToken, rate, concurrency, awaitReplies, timeout, retries, progress);
    }

    public SendConfig withAwaitReplies(boolean newAwait, Duration newTimeout) {
        return new SendConfig(source, client, target, replyUrl, authToken, rate, concurrency, newAwait, newTimeout, retries, progress);
    }

    public SendConfig withRetries(int newRetries) {
        return new SendConfig(source, client, target, replyUrl, authToken, rate, concurrency, awaitReplies, timeout, newRetries, progress);
    }

    public SendConfig withProgress(boolean newProgress) {
        return new SendConfig(source, client, target, replyUrl, authToken, rate, concurrency, awaitReplies, timeout, retries, newProgress);
    }

    private static void requireHttp(String option, URI url) {
        if (url == null || url.getHost() == null
                || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))) {
            throw new ConfigException(option, url == null ? null : url.toString(), "must be an http:// or https:// URL with a host");
        }
    }

    /** Where the requests come from. */
    public sealed interface Source permits Stdin, NdjsonFile, Generated {
    }

    /** NDJSON on standard input. */
    public record Stdin() implements Source {
    }

    /** NDJSON in a file. */
    public record NdjsonFile(Path path) implements Source {
        public NdjsonFile {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * {@code count} requests of one type and payload.
     *
     * @param payload       the payload of each (null: none)
     * @param keys          with N > 0, keys {@code key-0 .. key-(N-1)} in turn; 0: no key
     * @param deadlineAfter each request's deadline this long after it is sent, or null
     */
    public record Generated(String type, JsonNode payload, long count, int keys, Duration deadlineAfter) implements Source {
        public Generated {
            if (type == null || type.isBlank()) {
                throw new ConfigException("--type", type, "must name a handler type, e.g. echo");
            }
            if (count < 0) {
                throw new ConfigException("--count", count, "must be 0 or more");
            }
            if (keys < 0 || keys > 1_000_000) {
                throw new ConfigException("--keys", keys, "must be between 0 (no key) and 1000000");
            }
            if (deadlineAfter != null && (deadlineAfter.isNegative() || deadlineAfter.isZero())) {
                throw new ConfigException("--deadline", deadlineAfter, "must be positive, e.g. 5s");
            }
        }
    }

    /** Where the requests go. */
    public sealed interface Target permits Ingest, Direct {
    }

    /** Through ingest's {@code POST /v1/requests}. */
    public record Ingest(URI url) implements Target {
    }

    /** Straight to the requests topic, as ingest would write them. */
    public record Direct(KafkaSettings kafka) implements Target {
        public Direct {
            Objects.requireNonNull(kafka, "kafka");
        }
    }
}
