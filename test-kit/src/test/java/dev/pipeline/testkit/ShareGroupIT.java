package dev.pipeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@WithKafka
class ShareGroupIT {

    @Test
    void aShareGroupReceivesRecordsProducedBeforeItFirstJoined(KafkaBroker kafka) throws Exception {
        String topic = kafka.createTopic("share", 2);
        List<String> produced = IntStream.range(0, 20).mapToObj(i -> "record-" + i).toList();
        try (var producer = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), new StringSerializer())) {
            for (String value : produced) {
                producer.send(new ProducerRecord<>(topic, value, value)).get();
            }
        }

        // a new share group starts at the latest offset unless told otherwise, before it exists
        String group = kafka.uniqueName("share-group");
        try (var admin = kafka.admin()) {
            var resetToEarliest = new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), List.of(resetToEarliest)))
                    .all().get();
        }

        Map<String, Object> config = kafka.clientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        List<String> received = new ArrayList<>();
        try (var consumer = new KafkaShareConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(record.value());
                    consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                }
                consumer.commitSync();
                return received.size() >= produced.size();
            });
        }

        assertThat(received).containsExactlyInAnyOrderElementsOf(produced);
    }
}
