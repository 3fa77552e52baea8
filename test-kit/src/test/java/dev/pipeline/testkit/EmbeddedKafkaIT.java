package dev.pipeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
            assertThat(TopicRecords.values(kafka.bootstrapServers(), "kept", 1, false)).containsExactly("before-restart");
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
}
