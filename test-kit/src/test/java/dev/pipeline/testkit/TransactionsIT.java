package dev.pipeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
        assertThat(values(kafka, topic, true)).containsExactlyElementsOf(committed);
        // the control: the aborted records are in the log, so the filter above is what hid them
        assertThat(values(kafka, topic, false))
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

    private static List<String> values(KafkaBroker kafka, String topic, boolean readCommitted) {
        return TopicRecords.values(kafka.bootstrapServers(), topic, 0, readCommitted);
    }
}
