package dev.pipeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@WithKafka
class TransactionsIT {

    @Test
    void aReadCommittedConsumerSeesCommittedRecordsOnlyNeverAbortedOnes(KafkaBroker kafka) {
        String topic = kafka.createTopic("transactions", 1);
        Map<String, Object> producerConfig = kafka.clientConfig();
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, kafka.uniqueName("tx-producer"));
        try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            sendInTransaction(producer, topic, "committed", 0, 5);
            producer.commitTransaction();

            sendInTransaction(producer, topic, "aborted", 0, 5);
            producer.flush(); // the aborted records really reach the log before the abort
            producer.abortTransaction();

            sendInTransaction(producer, topic, "committed", 5, 10);
            producer.commitTransaction();
        }

        List<String> committed = IntStream.range(0, 10).mapToObj(i -> "committed-" + i).toList();
        assertThat(readAll(kafka, topic, "read_committed")).containsExactlyElementsOf(committed);
        // the control: the aborted records are in the log, so the filter above is what hid them
        assertThat(readAll(kafka, topic, "read_uncommitted"))
                .hasSize(15)
                .containsAll(committed)
                .contains("aborted-0", "aborted-4");
    }

    private static void sendInTransaction(KafkaProducer<String, String> producer, String topic, String prefix, int from, int to) {
        producer.beginTransaction();
        for (int i = from; i < to; i++) {
            producer.send(new ProducerRecord<>(topic, "key", prefix + "-" + i));
        }
    }

    /** Every value in the one-partition topic, read up to the end offset the consumer can see. */
    private static List<String> readAll(KafkaBroker kafka, String topic, String isolationLevel) {
        Map<String, Object> config = kafka.clientConfig();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        List<String> values = new ArrayList<>();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
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
