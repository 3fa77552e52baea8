package dev.pipeline.cli.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RecordHeaders;
import dev.pipeline.core.message.Request;
import dev.pipeline.core.message.RequestId;
import dev.pipeline.testkit.KafkaBroker;
import dev.pipeline.testkit.WithKafka;
import picocli.CommandLine;

/**
 * The checker against data written by hand on a real broker: one of each anomaly must be counted,
 * and consistent data must pass. A checker that cannot fail proves nothing.
 */
@WithKafka
class CheckCommandIT {

    @Test
    void countsEachKindOfAnomaly(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        String prefix = topics(kafka);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka, null)) {
            for (String id : List.of("r1", "r2", "r3", "r4", "r5", "r6", "r7")) {
                request(producer, prefix, id, id.compareTo("r5") < 0 ? "a" : "b");    // offsets 0..6
            }
            producer.send(new ProducerRecord<>(prefix + "requests", 0, null, utf8("garbage"))).get(); // offset 7, no id
            request(producer, prefix, "r2", "a");                                                      // offset 8: resent
            reply(producer, prefix, "r1", "a", 0);
            reply(producer, prefix, "r3", "a", 2);
            reply(producer, prefix, "r2", "a", 1);   // after r3's reply: an order violation
            reply(producer, prefix, "r4", "a", 3);
            reply(producer, prefix, "r4", "a", 3);   // the same request record twice: a duplicate reply
            reply(producer, prefix, "r5", "b", 4);
            // r6: no reply, no dead letter: lost; r2's second copy (offset 8): no reply: lost
            producer.send(deadLetter(prefix, 7)).get();
        }
        try (KafkaProducer<byte[], byte[]> transactional = producer(kafka, kafka.uniqueName("tx"))) {
            transactional.initTransactions();
            transactional.beginTransaction();
            reply(transactional, prefix, "r7", "b", 6); // aborted: r7 has no committed reply, so it is lost
            transactional.send(deadLetter(prefix, 5)).get(); // an aborted dead letter answers nothing: r6 stays lost
            transactional.abortTransaction();
        }
        Path store = dir.resolve("replies.db");
        // no UNIQUE constraint here, unlike the reply service's table, so a duplicate row can exist
        store(store, Map.of("r1", replyJson("r1", 0), "r3", "{\"not\":\"a reply that was written\"}", "r7", replyJson("r7", 6)));
        store(store, Map.of("r2", replyJson("r2", 1)));
        store(store, Map.of("r2", replyJson("r2", 1)));

        Path report = dir.resolve("check.json");
        StringWriter out = new StringWriter();
        int exit = check(kafka, prefix, store, out, "--report", report.toString());

        assertThat(exit).as(out.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("verdict: FAILED");
        JsonNode counts = Json.mapper().readTree(Files.readAllBytes(report)).path("counts");
        assertThat(counts.path("requestRecords").asLong()).isEqualTo(9);
        assertThat(counts.path("requestsWrittenTwice").asLong()).isEqualTo(1);
        assertThat(counts.path("unreadableRequests").asLong()).isEqualTo(1);
        assertThat(counts.path("committedReplies").asLong()).isEqualTo(6);
        assertThat(counts.path("abortedReplies").asLong()).isEqualTo(1);
        assertThat(counts.path("deadLetters").asLong()).as("committed ones").isEqualTo(1);
        assertThat(counts.path("lost").asLong()).as("r6, r7 and r2's second copy").isEqualTo(3);
        assertThat(counts.path("duplicateReplies").asLong()).as("r4").isEqualTo(1);
        assertThat(counts.path("orderViolations").asLong()).as("r2 after r3").isEqualTo(1);
        assertThat(counts.path("storeRows").asLong()).isEqualTo(5);
        assertThat(counts.path("duplicateRows").asLong()).as("r2").isEqualTo(1);
        assertThat(counts.path("missingFromStore").asLong()).as("r4 and r5").isEqualTo(2);
        assertThat(counts.path("abortedReads").asLong()).as("r7").isEqualTo(1);
        assertThat(counts.path("unknownRows").asLong()).as("r3").isEqualTo(1);
    }

    @Test
    void passesConsistentDataAndJudgesQueueModeByItsOwnGuarantee(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        String prefix = topics(kafka);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka, null)) {
            request(producer, prefix, "r1", "a");
            request(producer, prefix, "r2", "a");
            reply(producer, prefix, "r1", "a", 0);
            reply(producer, prefix, "r2", "a", 1);
            reply(producer, prefix, "r2", "a", 1); // redelivered in queue mode: allowed there, not in exactly-once
        }
        Path store = dir.resolve("replies.db");
        store(store, Map.of("r1", replyJson("r1", 0), "r2", replyJson("r2", 1)));
        Path accepted = dir.resolve("accepted.ndjson");
        Files.writeString(accepted, "{\"id\":\"r1\",\"key\":\"a\",\"seq\":0}\n{\"id\":\"r2\",\"key\":\"a\",\"seq\":1}\n");

        StringWriter out = new StringWriter();
        assertThat(check(kafka, prefix, store, out, "--accepted", accepted.toString(), "--delivery", "at-least-once"))
                .as(out.toString()).isZero();
        assertThat(out.toString()).contains("verdict: OK");
        StringWriter strict = new StringWriter();
        assertThat(check(kafka, prefix, store, strict, "--accepted", accepted.toString())).as(strict.toString()).isEqualTo(1);
        assertThat(strict.toString()).containsPattern("duplicate replies +1");
    }

    private static int check(KafkaBroker kafka, String prefix, Path store, StringWriter out, String... more) {
        CommandLine cli = new CommandLine(new CheckCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        List<String> args = new java.util.ArrayList<>(List.of("--bootstrap-servers", kafka.bootstrapServers(),
                "--topic-prefix", prefix, "--store", "jdbc:sqlite:" + store, "--timeout", "20s"));
        args.addAll(List.of(more));
        return cli.execute(args.toArray(String[]::new));
    }

    private static String topics(KafkaBroker kafka) throws Exception {
        String prefix = kafka.uniqueName("check") + ".";
        kafka.admin().createTopics(List.of(new NewTopic(prefix + "requests", 1, (short) 1),
                new NewTopic(prefix + "replies", 1, (short) 1), new NewTopic(prefix + "dlq", 1, (short) 1)))
                .all().get(30, TimeUnit.SECONDS);
        return prefix;
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka, String transactionalId) {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void request(KafkaProducer<byte[], byte[]> producer, String prefix, String id, String key) throws Exception {
        Request request = new Request(Request.VERSION, new RequestId(id), "c", "echo", key, TextNode.valueOf("x"), Instant.now(), null);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(prefix + "requests", 0, utf8(key), Json.toBytes(request));
        record.headers().add(RecordHeaders.REQUEST_ID, utf8(id));
        producer.send(record).get();
    }

    private static void reply(KafkaProducer<byte[], byte[]> producer, String prefix, String id, String key, long requestOffset)
            throws Exception {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(prefix + "replies", 0, utf8(key), utf8(replyJson(id, requestOffset)));
        record.headers().add(RecordHeaders.REQUEST_ID, utf8(id))
                .add(RecordHeaders.REQUEST_PARTITION, utf8("0"))
                .add(RecordHeaders.REQUEST_OFFSET, utf8(String.valueOf(requestOffset)));
        producer.send(record).get();
    }

    private static ProducerRecord<byte[], byte[]> deadLetter(String prefix, long requestOffset) {
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(prefix + "dlq", 0, null, utf8("garbage"));
        dead.headers().add(RecordHeaders.DLQ_SOURCE_TOPIC, utf8(prefix + "requests"))
                .add(RecordHeaders.DLQ_SOURCE_PARTITION, utf8("0"))
                .add(RecordHeaders.DLQ_SOURCE_OFFSET, utf8(String.valueOf(requestOffset)));
        return dead;
    }

    private static String replyJson(String id, long requestOffset) {
        return "{\"v\":1,\"requestId\":\"" + id + "\",\"status\":\"ok\",\"result\":" + requestOffset + "}";
    }

    private static void store(Path file, Map<String, String> rows) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS replies (request_id TEXT NOT NULL, reply TEXT NOT NULL)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO replies (request_id, reply) VALUES (?, ?)")) {
                for (Map.Entry<String, String> row : rows.entrySet()) {
                    insert.setString(1, row.getKey());
                    insert.setString(2, row.getValue());
                    insert.executeUpdate();
                }
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
