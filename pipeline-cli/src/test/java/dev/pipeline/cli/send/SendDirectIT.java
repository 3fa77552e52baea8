package dev.pipeline.cli.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.IntNode;

import picocli.CommandLine;

import dev.pipeline.core.kafka.KafkaClients;
import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.kafka.Topics;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.RecordHeaders;
import dev.pipeline.core.message.Request;
import dev.pipeline.testkit.KafkaBroker;
import dev.pipeline.testkit.WithKafka;

/** {@code pipeline send --direct} against a real broker: what lands on the requests topic. */
@WithKafka
class SendDirectIT {

    private static final int COUNT = 30;

    @Test
    void writesExactlyWhatIngestWouldToTheRequestsTopic(KafkaBroker kafka) throws Exception {
        String prefix = kafka.uniqueName("send") + ".";
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cli = new CommandLine(new SendCommand());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        Instant before = Instant.now();

        int exit = cli.execute("--direct", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", prefix,
                "--partitions", "3", "--type", "fib", "--payload", "25", "--count", String.valueOf(COUNT), "--keys", "3",
                "--client", "c-direct", "--no-wait", "--no-progress");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("sent      " + COUNT + " requests", "straight to Kafka", "accepted  " + COUNT);
        assertThat(kafka.topics()).as("created like ingest creates them")
                .contains(prefix + "requests", prefix + "replies", prefix + "dlq");

        List<ConsumerRecord<byte[], byte[]>> records = readAll(kafka, prefix + "requests");
        assertThat(records).hasSize(COUNT);
        List<Request> requests = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Request request = Json.readRequest(record.value());
            requests.add(request);
            assertThat(request.v()).isEqualTo(1);
            assertThat(request.client()).isEqualTo("c-direct");
            assertThat(request.type()).isEqualTo("fib");
            assertThat(request.payload()).isEqualTo(IntNode.valueOf(25));
            assertThat(request.submittedAt()).isBetween(before, Instant.now());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(request.key()).isEqualTo(request.orderingKey());
            assertThat(header(record, RecordHeaders.REQUEST_ID)).isEqualTo(request.id().value());
            assertThat(header(record, RecordHeaders.TRACEPARENT)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        }
        assertThat(requests).extracting(Request::id).doesNotHaveDuplicates();
        Map<String, Long> perKey = requests.stream().collect(Collectors.groupingBy(Request::key, Collectors.counting()));
        assertThat(perKey).containsOnly(Map.entry("key-0", 10L), Map.entry("key-1", 10L), Map.entry("key-2", 10L));

        // one key, one partition, in the order sent (submittedAt is stamped by the one sending thread)
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = records.stream()
                .collect(Collectors.groupingBy(r -> new String(r.key(), StandardCharsets.UTF_8)));
        byKey.forEach((key, ofKey) -> {
            assertThat(ofKey).extracting(ConsumerRecord::partition).as(key).containsOnly(ofKey.getFirst().partition());
            List<Instant> submitted = ofKey.stream().sorted(java.util.Comparator.comparingLong(ConsumerRecord::offset))
                    .map(r -> readRequest(r).submittedAt()).toList();
            assertThat(submitted).as(key).isSorted();
        });
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaBroker kafka, String topic) {
        KafkaSettings settings = KafkaSettings.local(kafka.bootstrapServers()).withTopics(new Topics(Topics.DEFAULT_PREFIX));
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaClients(settings, "send-direct-it").assignedConsumer(true)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return records;
    }

    private static Request readRequest(ConsumerRecord<byte[], byte[]> record) {
        try {
            return Json.readRequest(record.value());
        } catch (java.io.IOException e) {
            throw new AssertionError("not a request: " + new String(record.value(), StandardCharsets.UTF_8), e);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
