package dev.pipeline.core.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place Kafka clients are built: a base configuration (brokers, client id, the
 * pass-through properties) plus the overrides of each role, each with its reason. A role's
 * overrides win over the pass-through, because they are what the pipeline's guarantees rest on.
 *
 * <p>Keys and values are raw bytes everywhere: the services parse JSON themselves, so a record
 * that cannot be parsed is still in hand, unchanged, to send to the dead-letter topic.
 */
public final class KafkaClients {

    private static final Logger log = LoggerFactory.getLogger(KafkaClients.class);

    /** How consumer groups coordinate: KIP-848 ({@code consumer}, the default) or {@code classic}. */
    public enum GroupProtocol { CONSUMER, CLASSIC }

    private final KafkaSettings settings;
    private final String clientIdPrefix;
    private final AtomicInteger sequence = new AtomicInteger();

    /** @param clientIdPrefix names this process's clients in broker logs and metrics, e.g. {@code processor-7f3a} */
    public KafkaClients(KafkaSettings settings, String clientIdPrefix) {
        this.settings = settings;
        this.clientIdPrefix = clientIdPrefix;
    }

    public KafkaSettings settings() {
        return settings;
    }

    public Admin admin() {
        return Admin.create(configFor("admin", Map.of()));
    }

    /**
     * For writing requests (ingest, the producer CLI): an answer means the write is durable.
     *
     * @param sendTimeout how long a send may take, blocked on metadata included, before it fails
     */
    public KafkaProducer<byte[], byte[]> requestProducer(Duration sendTimeout) {
        int timeoutMs = (int) sendTimeout.toMillis();
        Map<String, Object> role = new HashMap<>();
        // acknowledged only once every in-sync replica has the record: 202 means durable
        role.put(ProducerConfig.ACKS_CONFIG, "all");
        // retries cannot duplicate or reorder records
        role.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // a few ms of batching multiplies throughput under load and costs little latency
        role.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // send() blocks on metadata while the broker is away: bound it by the caller's timeout
        role.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        // give up on a record (and answer 503) within the caller's timeout; must cover linger + request
        role.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1_000, timeoutMs - 10));
        role.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(1_000, timeoutMs - 10) + 10);
        return new KafkaProducer<>(configFor("requests", role), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * For a processor worker: replies, dead letters and consumed offsets in one transaction.
     *
     * @param transactionalId stable per worker slot, so a restarted worker fences its zombie
     */
    public KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId, Duration transactionTimeout) {
        Map<String, Object> role = new HashMap<>();
        // the transactional id is the fencing identity; the producer epoch rises on each init
        role.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        // transactions require idempotence and acks=all; set explicitly so a pass-through cannot undo it
        role.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        role.put(ProducerConfig.ACKS_CONFIG, "all");
        // a hung worker's transaction is aborted by the coordinator after this
        role.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        // replies of one batch are sent together at commit: a little batching is free
        role.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(configFor("tx", role), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * For a processor worker in queue mode: replies and dead letters without a transaction (share
     * groups have none); a record is acknowledged only once its reply is acknowledged here.
     */
    public KafkaProducer<byte[], byte[]> replyProducer() {
        Map<String, Object> role = new HashMap<>();
        // a reply counts as written only once every in-sync replica has it
        role.put(ProducerConfig.ACKS_CONFIG, "all");
        // retries cannot duplicate or reorder replies
        role.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // replies of one poll go out together
        role.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(configFor("replies", role), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** For a processor worker in consumer-group mode: offsets are committed in the transaction. */
    public KafkaConsumer<byte[], byte[]> requestConsumer(String groupId, GroupProtocol protocol, int maxPollRecords) {
        Map<String, Object> role = new HashMap<>();
        role.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        role.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol.name().toLowerCase());
        if (protocol == GroupProtocol.CLASSIC) {
            // with the classic protocol, cooperative rebalances keep unaffected partitions flowing
            role.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        // offsets go into the producer's transaction, never committed by the consumer itself
        role.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // requests written transactionally by someone else count only once committed
        role.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // a new group must not skip requests accepted before its first member started
        role.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // one poll is one transaction: this bounds the work a transaction holds
        role.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return new KafkaConsumer<>(configFor("requests-consumer", role), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** For a processor worker in queue mode (share group, KIP-932). */
    public KafkaShareConsumer<byte[], byte[]> shareConsumer(String groupId, int maxPollRecords) {
        Map<String, Object> role = new HashMap<>();
        role.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // each record is acknowledged on its own: ACCEPT, RELEASE for a retry, REJECT
        role.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        // small batches spread records over many consumers instead of a few taking all
        role.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return new KafkaShareConsumer<>(configFor("share-consumer", role), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** For the reply service and checkers: committed replies only, offsets committed by hand. */
    public KafkaConsumer<byte[], byte[]> replyConsumer(String groupId) {
        Map<String, Object> role = new HashMap<>();
        role.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        role.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        // replies of aborted transactions (a crashed or fenced worker) must never be stored
        role.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // offsets are committed after the store commits, so a crash replays, never skips
        role.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a new store starts from the first reply
        role.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(configFor("replies-consumer", role), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A consumer with no group, for tools that assign partitions themselves. */
    public KafkaConsumer<byte[], byte[]> assignedConsumer(boolean readCommitted) {
        Map<String, Object> role = new HashMap<>();
        role.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        role.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        role.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(configFor("reader", role), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The full configuration of a client: base, pass-through, then the role's settings. */
    Map<String, Object> configFor(String role, Map<String, Object> roleSettings) {
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientIdPrefix + "-" + role + "-" + sequence.incrementAndGet());
        roleSettings.forEach((name, value) -> {
            Object passed = settings.clientProperties().get(name);
            if (passed != null && !String.valueOf(passed).equals(String.valueOf(value))) {
                log.warn("ignoring pass-through Kafka property {}={} for the {} client: the pipeline needs {}", name, passed, role, value);
            }
            config.put(name, value);
        });
        return config;
    }
}
