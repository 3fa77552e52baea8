package dev.pipeline.processor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

import dev.pipeline.core.kafka.KafkaClients.GroupProtocol;
import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.runtime.ConfigException;

/**
 * The processor's settings, validated at start-up.
 *
 * @param instanceId         names this instance; worker i's transactional id is
 *                           {@code <group>-<instanceId>-<i>}, so an instance restarted with the
 *                           same id fences its dead predecessor's open transactions at once
 * @param workers            worker threads, each with its own consumer and transactional producer
 * @param mode               {@code group}: a consumer group, exactly once, order per key;
 *                           {@code share}: a share group (queue mode), at least once, no order
 * @param delivery           group mode: exactly once (one transaction per batch) or at least once
 *                           (replies, then offsets; no transactions)
 * @param groupId            the consumer group, or the share group in queue mode
 * @param groupProtocol      KIP-848 {@code consumer} (default) or {@code classic}
 * @param maxPollRecords     records per poll
 * @param commitInterval     a transaction is committed once it has run this long (or its records
 *                           are done): the bound on what read_committed readers wait for
 * @param concurrency        records of different keys a worker runs at once (virtual threads); 1
 *                           runs them one after another
 * @param deliveryLimit      queue mode: deliveries of one record before it is rejected to the DLQ
 * @param maxAttempts        handler calls per request before an {@code error} reply
 * @param initialBackoff     backoff before the first retry; doubles each retry, with full jitter
 * @param maxBackoff         cap of one backoff
 * @param handlerTimeout     bound of one handler call; a call over it counts as a failed attempt
 * @param transactionTimeout after this the coordinator aborts a worker's open transaction
 * @param shutdownTimeout    how long SIGTERM waits for the batch in flight before aborting it
 * @param pluginsDir         folder of handler plug-in jars (may be missing)
 * @param kafka              brokers and topics
 */
public record ProcessorConfig(String instanceId, int workers, Mode mode, Delivery delivery, String groupId, GroupProtocol groupProtocol,
                              int maxPollRecords, Duration commitInterval, int concurrency, int deliveryLimit, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                              Duration handlerTimeout, Duration transactionTimeout, Duration shutdownTimeout,
                              Path pluginsDir, KafkaSettings kafka) {

    /** How the processors share the requests. */
    public enum Mode { GROUP, SHARE }

    /** What a consumer-group worker promises about replies. */
    public enum Delivery { EXACTLY_ONCE, AT_LEAST_ONCE }

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    public ProcessorConfig {
        if (instanceId == null || !ID.matcher(instanceId).matches()) {
            throw new ConfigException("instance id", instanceId, "must be 1-100 letters, digits, '.', '_' or '-'");
        }
        if (workers < 1 || workers > 256) {
            throw new ConfigException("workers", workers, "must be between 1 and 256");
        }
        if (groupId == null || !ID.matcher(groupId).matches()) {
            throw new ConfigException("group", groupId, "must be 1-100 letters, digits, '.', '_' or '-'");
        }
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(groupProtocol, "groupProtocol");
        if (deliveryLimit < 2 || deliveryLimit > 10) {
            throw new ConfigException("delivery limit", deliveryLimit, "must be between 2 and 10 (the broker's bounds)");
        }
        if (maxPollRecords < 1 || maxPollRecords > 10_000) {
            throw new ConfigException("max poll records", maxPollRecords, "must be between 1 and 10000");
        }
        requirePositive("commit interval", commitInterval);
        if (concurrency < 1 || concurrency > 10_000) {
            throw new ConfigException("concurrency", concurrency, "must be between 1 and 10000");
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new ConfigException("max attempts", maxAttempts, "must be between 1 and 100");
        }
        requirePositive("initial backoff", initialBackoff);
        requirePositive("max backoff", maxBackoff);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new ConfigException("max backoff", maxBackoff, "must not be less than the initial backoff " + initialBackoff);
        }
        requirePositive("handler timeout", handlerTimeout);
        requirePositive("transaction timeout", transactionTimeout);
        if (transactionTimeout.toMillis() < 1_000 || transactionTimeout.toMillis() > 900_000) {
            throw new ConfigException("transaction timeout", transactionTimeout, "must be between 1 s and 15 min (the broker's cap)");
        }
        requirePositive("shutdown timeout", shutdownTimeout);
        Duration worstRecord = handlerTimeout.multipliedBy(maxAttempts).plus(maxBackoff.multipliedBy(maxAttempts - 1L));
        if (transactionTimeout.compareTo(commitInterval.plus(worstRecord)) <= 0) {
            throw new ConfigException("transaction timeout", transactionTimeout, "must exceed the commit interval plus one record's "
                    + "worst case (max attempts x handler timeout + retries x max backoff = " + worstRecord.toMillis() + " ms), "
                    + "or the coordinator aborts transactions that are still working");
        }
        Objects.requireNonNull(kafka, "kafka");
    }

    /** The transactional id of worker {@code index}: stable across restarts of this instance id. */
    public String transactionalId(int index) {
        return groupId + "-" + instanceId + "-" + index;
    }

    private static void requirePositive(String setting, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigException(setting, value, "must be a positive duration");
        }
    }
}
