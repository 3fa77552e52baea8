package dev.pipeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The test kit's Testcontainers path, for real: the broker is Testcontainers' Kafka container
 * (the apache/kafka image, or a stand-in with its contract named by
 * {@code -Dpipeline.test.kafka.image}), and the exactly-once scenario the processor rests on runs
 * on it: a KIP-848 consumer group, transactions carrying the consumed offsets, read_committed.
 *
 * <p>Runs only with {@code -Dpipeline.test.broker=testcontainers}, which .ci/run passes once its
 * Docker engine is up; then it fails if the kit fell back to another broker.
 */
@WithKafka
@EnabledIfSystemProperty(named = BrokerSources.BROKER_PROPERTY, matches = "testcontainers",
        disabledReason = "needs a Docker engine and -Dpipeline.test.broker=testcontainers (.ci/run passes it when its engine is up)")
class TestcontainersKafkaIT {

    private static final int RECORDS = 300;

    @Test
    void theBrokerIsTheContainerReachedThroughItsMappedPort(KafkaBroker kafka) throws Exception {
        assertThat(kafka.kind()).as("-Dpipeline.test.broker=testcontainers must not fall back to another broker")
                .isEqualTo(KafkaBroker.Kind.TESTCONTAINERS);
        try (Admin admin = kafka.admin()) {
            DescribeClusterResult cluster = admin.describeCluster();
            List<Node> nodes = new ArrayList<>(cluster.nodes().get(30, TimeUnit.SECONDS));
            // one node, advertised at the address the host reaches it by
            assertThat(nodes).hasSize(1);
            assertThat(nodes.getFirst().host() + ":" + nodes.getFirst().port()).isEqualTo(kafka.bootstrapServers());
        }
    }

    @Test
    void aTransactionalCopyThroughAConsumerGroupHoldsEachRecordOnceAfterAnAbortedTransaction(KafkaBroker kafka) throws Exception {
        String input = kafka.createTopic("tc-input", 3);
        String output = kafka.createTopic("tc-output", 3);
        String group = kafka.uniqueName("tc-group");
        try (var producer = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(input, "key-" + (i % 30), "value-" + i));
            }
        }

        Map<String, Object> transactional = kafka.clientConfig();
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, kafka.uniqueName("tc-copier"));
        try (var producer = new KafkaProducer<>(transactional, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();

            // a first member copies a batch, then its transaction is aborted: as if it failed
            int aborted;
            try (var consumer = consumer(kafka, group)) {
                consumer.subscribe(List.of(input));
                ConsumerRecords<String, String> batch = pollUntilRecords(consumer);
                aborted = batch.count();
                producer.beginTransaction();
                copy(producer, batch, output);
                producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
                producer.flush(); // the copies really reach the log before the abort
                producer.abortTransaction();
            } // closed without committing: the group's offsets stay where they were (nowhere)

            // a second member starts over from the group's committed offsets and commits as it goes
            try (var consumer = consumer(kafka, group)) {
                consumer.subscribe(List.of(input));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                int copied = 0;
                while (copied < RECORDS) {
                    assertThat(System.nanoTime()).as("all records copied within 90 s").isLessThan(deadline);
                    ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(200));
                    if (batch.isEmpty()) {
                        continue;
                    }
                    producer.beginTransaction();
                    copy(producer, batch, output);
                    producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
                    producer.commitTransaction();
                    copied += batch.count();
                }
                assertThat(copied).as("the second member started where the group had committed: at the start")
                        .isEqualTo(RECORDS);
                assertThat(committed(kafka, group, input)).as("the group's offsets, committed in the transactions")
                        .isEqualTo(RECORDS);
                try (Admin admin = kafka.admin()) {
                    ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                            .describedGroups().get(group).get(30, TimeUnit.SECONDS);
                    assertThat(description.type()).as("the KIP-848 consumer protocol").isEqualTo(GroupType.CONSUMER);
                }
            }

            List<String> committedCopies = values(kafka, output, true);
            assertThat(committedCopies).as("read_committed: each input record copied exactly once")
                    .hasSize(RECORDS)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, RECORDS).mapToObj(i -> "value-" + i).toList());
            assertThat(values(kafka, output, false)).as("the aborted copies are in the log; read_committed hid them")
                    .hasSize(RECORDS + aborted);
            assertThat(aborted).isPositive();
        }
    }

    private static KafkaConsumer<String, String> consumer(KafkaBroker kafka, String group) {
        Map<String, Object> config = kafka.clientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static ConsumerRecords<String, String> pollUntilRecords(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(200));
            if (!batch.isEmpty()) {
                return batch;
            }
            assertThat(System.nanoTime()).as("records polled within 60 s").isLessThan(deadline);
        }
    }

    private static void copy(KafkaProducer<String, String> producer, ConsumerRecords<String, String> batch, String topic) {
        for (ConsumerRecord<String, String> record : batch) {
            producer.send(new ProducerRecord<>(topic, record.key(), record.value()));
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, String> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
        for (TopicPartition partition : batch.partitions()) {
            List<ConsumerRecord<String, String>> records = batch.records(partition);
            offsets.put(partition, new OffsetAndMetadata(records.getLast().offset() + 1));
        }
        return offsets;
    }

    /** The sum of the group's committed offsets on {@code topic}: how many records it has done. */
    private static long committed(KafkaBroker kafka, String group, String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset())
                    .sum();
        }
    }

    private static List<String> values(KafkaBroker kafka, String topic, boolean readCommitted) {
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.records(topic, readCommitted)) {
            values.add(new String(record.value(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return values;
    }
}
