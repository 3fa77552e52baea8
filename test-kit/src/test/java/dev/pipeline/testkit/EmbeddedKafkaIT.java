package dev.pipeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pipeline.kafka.embedded.EmbeddedKafka;
import dev.pipeline.core.kafka.KafkaEnvironment;

/** The embedded broker's own contract: persistence across restarts and environment overrides. */
class EmbeddedKafkaIT {

    @Test
    void aRestartOnTheSameDataDirectoryKeepsTopicsAndRecords(@TempDir Path dataDir) throws Exception {
        try (var kafka = EmbeddedKafka.builder().dataDir(dataDir).build().start()) {
            try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 3, (short) 1))).all().get();
            }
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", 1, "k", "before-restart")).get();
            }
        }
        assertThat(dataDir.resolve("meta.properties")).exists();

        try (var kafka = EmbeddedKafka.builder().dataDir(dataDir).build().start()) {
            try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains("kept");
                assertThat(admin.describeTopics(List.of("kept")).allTopicNames().get().get("kept").partitions()).hasSize(3);
            }
            assertThat(readAll(kafka.bootstrapServers(), new TopicPartition("kept", 1))).containsExactly("before-restart");
        }
    }

    @Test
    void takesKafkaVariablesTheWayTheOfficialImageDoes() throws Exception {
        Map<String, String> env = Map.of("KAFKA_NUM_PARTITIONS", "5", "KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true");
        try (var kafka = EmbeddedKafka.builder().properties(KafkaEnvironment.brokerProperties(env)).build().start();
             Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
             var producer = new KafkaProducer<>(Map.<String, Object>of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                     new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("auto-created", "k", "v")).get();
            assertThat(admin.describeTopics(List.of("auto-created")).allTopicNames().get().get("auto-created").partitions())
                    .hasSize(5);
        }
    }

    @Test
    void aTemporaryDataDirectoryIsDeletedOnClose() {
        Path dataDir;
        try (var kafka = EmbeddedKafka.builder().build().start()) {
            dataDir = kafka.dataDir();
            assertThat(dataDir.resolve("meta.properties")).exists();
        }
        assertThat(Files.exists(dataDir)).isFalse();
    }

    @Test
    void refusesAPortThatIsTakenWithAMessageNamingIt(@TempDir Path dataDir) {
        try (var first = EmbeddedKafka.builder().build().start()) {
            int taken = Integer.parseInt(first.bootstrapServers().substring(first.bootstrapServers().lastIndexOf(':') + 1));
            var second = EmbeddedKafka.builder().port(taken).dataDir(dataDir).build();
            assertThatThrownBy(second::start)
                    .hasMessageContaining("port 127.0.0.1:" + taken + " is already in use");
        }
    }

    private static List<String> readAll(String bootstrapServers, TopicPartition partition) {
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return consumer.position(partition) >= end;
            });
        }
        return values;
    }
}
