package dev.pipeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

@WithKafka
class ConsumerGroupProtocolIT {

    @Test
    void membersOfANewProtocolGroupGetAndSplitThePartitions(KafkaBroker kafka) throws Exception {
        String topic = kafka.createTopic("group-protocol", 4);
        String group = kafka.uniqueName("group");
        try (var first = consumer(kafka, group); var second = consumer(kafka, group)) {
            first.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
                first.poll(Duration.ofMillis(100));
                return first.assignment().size() == 4;
            });

            second.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
                first.poll(Duration.ofMillis(100));
                second.poll(Duration.ofMillis(100));
                return first.assignment().size() == 2 && second.assignment().size() == 2;
            });

            Set<TopicPartition> all = new HashSet<>(first.assignment());
            all.addAll(second.assignment());
            assertThat(all).hasSize(4).allMatch(p -> p.topic().equals(topic));

            try (var admin = kafka.admin()) {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                        .describedGroups().get(group).get();
                assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
                assertThat(description.members()).hasSize(2);
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(KafkaBroker kafka, String group) {
        Map<String, Object> config = kafka.clientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
