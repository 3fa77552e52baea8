package dev.pipeline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.core.kafka.Topics;
import dev.pipeline.core.message.RecordHeaders;
import dev.pipeline.e2e.BadRequests.Case;
import dev.pipeline.e2e.GarbageRecords.Garbage;
import dev.pipeline.e2e.IngestAnswers.Answer;
import dev.pipeline.testkit.JavaProcess;
import dev.pipeline.testkit.KafkaBroker;
import dev.pipeline.testkit.WithKafka;

/**
 * Bad input at every door, as separate OS processes on a real broker: a few thousand generated
 * malformed or hostile bodies sent to ingest, valid requests among them, and random bytes written
 * straight to the requests topic. Every malformed body gets its 4xx as problem+json (never a 5xx,
 * never a 202, never a dropped connection), the dead-letter topic holds each unreadable record as
 * it was written with the reason (one written at the 1 MiB size limit cannot be copied with reason
 * headers: its dead letter holds the reason and where it is), every valid request gets a reply,
 * and no service dies.
 *
 * <p>The inputs come from one seed, logged at the start; {@code -Dfuzz.seed=N} replays a run.
 * The tests run in order on one pipeline: the last one checks that it outlived the first two.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputFuzzIT {

    private static final Logger log = LoggerFactory.getLogger(BadInputFuzzIT.class);

    private static final int HTTP_CASES = 3_000;
    private static final int VALID_EVERY = 20;
    private static final int SENDERS = 4;
    private static final int KAFKA_RECORDS = 300;
    private static final Duration REPLIES_TIMEOUT = Duration.ofSeconds(90);
    /** The exit status of a JVM that ran its shutdown hooks after SIGTERM (128 + 15). */
    private static final int SIGTERM_EXIT = 143;

    private final long seed = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
    private KafkaBroker kafka;
    private Topics topics;
    private Services services;

    @BeforeAll
    void startThePipeline(KafkaBroker kafka, @TempDir Path workDir) {
        log.info("BadInputFuzzIT seed {} (replay with -Dfuzz.seed={})", seed, seed);
        this.kafka = kafka;
        this.topics = new Topics(kafka.uniqueName("fuzz") + ".");
        this.services = new Services(kafka, topics, workDir);
        services.startReply();
        services.startProcessor("fuzz-processor-1", 2);
        services.startProcessor("fuzz-processor-2", 2);
        services.startIngest();
    }

    @AfterAll
    void stopThePipeline() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    @Order(1)
    void everyMalformedBodyGetsItsProblemAndEveryValidRequestAReply() throws Exception {
        List<Case> cases = new BadRequests(seed).cases(HTTP_CASES, VALID_EVERY);
        IngestAnswers ingest = new IngestAnswers(services.ingestUrl());
        List<Answer> answers = new ArrayList<>(cases.size());
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<Answer>> futures = new ArrayList<>();
            for (Case c : cases) {
                futures.add(senders.submit(() -> ingest.send(c)));
            }
            for (Future<Answer> future : futures) {
                answers.add(future.get());
            }
        } finally {
            senders.shutdownNow();
        }

        logSummary(answers);
        List<String> wrong = answers.stream().filter(a -> !a.errors().isEmpty())
                .map(a -> a.sent().describe() + ": " + String.join("; ", a.errors())).toList();
        assertThat(wrong).as("answers that broke the contract (seed %d): %d of %d, the first: %s", seed, wrong.size(),
                answers.size(), wrong.stream().limit(20).toList()).isEmpty();
        Set<String> accepted = new HashSet<>();
        answers.forEach(a -> accepted.addAll(a.acceptedIds()));
        // not a vacuous run: thousands of bad bodies, and valid ones to follow through
        assertThat(cases.stream().filter(c -> c.status() != BadBodies.ACCEPTED).count()).isGreaterThan(2_000);
        assertThat(accepted).hasSizeGreaterThan(HTTP_CASES / VALID_EVERY);

        awaitReplies(accepted);
    }

    @Test
    @Order(2)
    void unreadableRecordsOnTheRequestsTopicGoToTheDlqAsWrittenAndTheRequestsBehindThemGetReplies() throws Exception {
        List<Garbage> records = new GarbageRecords(seed + 1).records(KAFKA_RECORDS);
        Map<String, Garbage> deadLetters = new HashMap<>();
        Set<String> readable = new HashSet<>();
        for (Map.Entry<Garbage, RecordMetadata> written : write(records).entrySet()) {
            Garbage garbage = written.getKey();
            if (garbage.deadLetter()) {
                deadLetters.put(coordinates(written.getValue().partition(), written.getValue().offset()), garbage);
            } else {
                readable.add(garbage.request().value());
            }
        }
        log.info("wrote {} records to {}: {} a processor cannot read, {} it can", records.size(), topics.requests(),
                deadLetters.size(), readable.size());
        assertThat(deadLetters).as("most random records are unreadable").hasSizeGreaterThan(KAFKA_RECORDS / 2);

        awaitReplies(readable);
        await().atMost(REPLIES_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .failFast("a service process died", () -> !deadServices().isEmpty())
                .until(() -> deadLetterCoordinates().containsAll(deadLetters.keySet()));

        Map<String, List<ConsumerRecord<byte[], byte[]>>> dlq = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.records(topics.dlq(), true)) {
            dlq.computeIfAbsent(coordinates(header(record, RecordHeaders.DLQ_SOURCE_PARTITION),
                    header(record, RecordHeaders.DLQ_SOURCE_OFFSET)), k -> new ArrayList<>()).add(record);
        }
        // nothing else was dead-lettered: no valid request, from ingest or written here
        assertThat(dlq.keySet()).as("dead letters by source partition@offset (seed %d)", seed)
                .containsExactlyInAnyOrderElementsOf(deadLetters.keySet());
        deadLetters.forEach((at, garbage) -> {
            assertThat(dlq.get(at)).as("dead letters of %s at %s", garbage.describe(), at).hasSize(1);
            assertDeadLetter(dlq.get(at).getFirst(), garbage);
        });
    }

    @Test
    @Order(3)
    void everyServiceOutlivedTheBadInputAndStopsCleanlyOnSigterm() {
        assertThat(deadServices()).as("services that died").isEmpty();
        Set<String> names = services.processes().keySet();
        assertThat(names).hasSize(4);

        services.close();

        assertThat(services.exitCodes()).as("exit codes after SIGTERM").containsOnlyKeys(names)
                .allSatisfy((name, code) -> assertThat(code).as(name).isEqualTo(SIGTERM_EXIT));
    }

    // ---- the HTTP door ----------------------------------------------------------------------

    private void logSummary(List<Answer> answers) {
        Map<String, Integer> byCategory = new TreeMap<>();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        for (Answer answer : answers) {
            byCategory.merge(answer.sent().category().name(), 1, Integer::sum);
            byStatus.merge(answer.status(), 1, Integer::sum);
        }
        log.info("sent {} requests (seed {}): by category {}, answers by status {}", answers.size(), seed, byCategory, byStatus);
    }

    // ---- the Kafka door -----------------------------------------------------------------------

    /** Writes the records with a plain producer; returns where each landed, in writing order. */
    private Map<Garbage, RecordMetadata> write(List<Garbage> records) throws Exception {
        Map<String, Object> config = kafka.clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        Map<Garbage, RecordMetadata> written = new java.util.LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (Garbage garbage : records) {
                sends.add(producer.send(new ProducerRecord<>(topics.requests(), null, garbage.key(), garbage.value(), garbage.headers())));
            }
            for (int i = 0; i < records.size(); i++) {
                written.put(records.get(i), sends.get(i).get());
            }
        }
        return written;
    }

    private void assertDeadLetter(ConsumerRecord<byte[], byte[]> dead, Garbage garbage) {
        String what = garbage.describe();
        assertReason(dead, what);
        if (!garbage.copyable()) {
            // at the size limit: the reason and where the record is, without its bytes
            assertThat(dead.key()).as("key of %s", what).isNull();
            assertThat(dead.value()).as("value of %s", what).isNull();
            assertThat(header(dead, RecordHeaders.DLQ_DROPPED)).as("what was dropped of %s", what)
                    .contains("value (" + garbage.value().length + " bytes)")
                    .endsWith(topics.requests() + "-" + header(dead, RecordHeaders.DLQ_SOURCE_PARTITION) + "@"
                            + header(dead, RecordHeaders.DLQ_SOURCE_OFFSET));
            return;
        }
        assertThat(dead.headers().lastHeader(RecordHeaders.DLQ_DROPPED)).as("dropped header of %s", what).isNull();
        // compared here, not by AssertJ: a failure would print a megabyte of bytes
        assertThat(Arrays.equals(dead.key(), garbage.key())).as("key of %s, byte for byte (the dead letter's: %s)", what,
                length(dead.key())).isTrue();
        assertThat(Arrays.equals(dead.value(), garbage.value())).as("value of %s, byte for byte (the dead letter's: %s)", what,
                length(dead.value())).isTrue();
        Header[] headers = dead.headers().toArray();
        // the record's own headers first, unchanged, then the reason
        assertThat(headers.length).as("headers of %s", what).isGreaterThanOrEqualTo(garbage.headers().size());
        for (int i = 0; i < garbage.headers().size(); i++) {
            assertThat(headers[i].key()).as("header %d of %s", i, what).isEqualTo(garbage.headers().get(i).key());
            assertThat(headers[i].value()).as("header %d of %s", i, what).isEqualTo(garbage.headers().get(i).value());
        }
    }

    private void assertReason(ConsumerRecord<byte[], byte[]> dead, String what) {
        assertThat(header(dead, RecordHeaders.DLQ_ERROR_CLASS)).as("error class of %s", what).isNotBlank();
        assertThat(header(dead, RecordHeaders.DLQ_ERROR_MESSAGE)).as("error message of %s", what).isNotBlank();
        assertThat(header(dead, RecordHeaders.DLQ_SOURCE_TOPIC)).as("source topic of %s", what).isEqualTo(topics.requests());
        assertThat(header(dead, RecordHeaders.DLQ_ATTEMPTS)).as("attempts of %s", what).isEqualTo("1");
        assertThat(Instant.parse(header(dead, RecordHeaders.DLQ_TIME))).as("time of %s", what).isBefore(Instant.now());
    }

    private Set<String> deadLetterCoordinates() {
        Set<String> coordinates = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.records(topics.dlq(), true)) {
            coordinates.add(coordinates(header(record, RecordHeaders.DLQ_SOURCE_PARTITION), header(record, RecordHeaders.DLQ_SOURCE_OFFSET)));
        }
        return coordinates;
    }

    private static String coordinates(Object partition, Object offset) {
        return partition + "@" + offset;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    // ---- replies and liveness -----------------------------------------------------------------

    /** Waits until the reply store holds a reply for every id; fails at once if a service died. */
    private void awaitReplies(Set<String> ids) {
        log.info("waiting for {} replies", ids.size());
        await().atMost(REPLIES_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .failFast("a service process died", () -> !deadServices().isEmpty())
                .untilAsserted(() -> {
                    Set<String> missing = new HashSet<>(ids);
                    missing.removeAll(storedReplyIds());
                    assertThat(missing.size()).as("requests of %d without a reply (seed %d), e.g. %s", ids.size(), seed,
                            missing.stream().limit(10).toList()).isZero();
                });
    }

    private Set<String> storedReplyIds() throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + services.replyStore());
             var statement = db.prepareStatement("SELECT request_id FROM replies");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private List<String> deadServices() {
        List<String> dead = new ArrayList<>();
        for (Map.Entry<String, JavaProcess> service : services.processes().entrySet()) {
            if (!service.getValue().isAlive()) {
                dead.add(service.getKey());
            }
        }
        return dead;
    }

    private static String length(byte[] bytes) {
        return bytes == null ? "null" : bytes.length + " bytes";
    }

}
