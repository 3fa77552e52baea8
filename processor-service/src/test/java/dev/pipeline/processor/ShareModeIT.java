package dev.pipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.IntNode;

import dev.pipeline.core.kafka.KafkaClients.GroupProtocol;
import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.kafka.Topics;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;
import dev.pipeline.core.message.ReplyStatus;
import dev.pipeline.core.message.Request;
import dev.pipeline.core.message.RequestId;
import dev.pipeline.testkit.KafkaBroker;
import dev.pipeline.testkit.WithKafka;

@WithKafka
class ShareModeIT {

    @Test
    void moreShareConsumersThanPartitionsShareTheWorkAndEveryRequestGetsAReply(KafkaBroker kafka) throws Exception {
        Topics topics = new Topics(kafka.uniqueName("share") + ".");
        KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), topics, 2, (short) 1, Map.of());
        int count = 300;
        Set<RequestId> sent = new HashSet<>();
        // produced before the share group exists: the processor must set it to start at the earliest offset
        try (var producer = new KafkaProducer<>(kafka.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                Request request = new Request(1, RequestId.random(), "c", "sleep", "key-" + i % 7, IntNode.valueOf(20), Instant.now(), null);
                sent.add(request.id());
                producer.send(new ProducerRecord<>(topics.requests(), request.orderingKey().getBytes(StandardCharsets.UTF_8), Json.toBytes(request)));
            }
            producer.send(new ProducerRecord<>(topics.requests(), "key-0".getBytes(StandardCharsets.UTF_8),
                    "not a request".getBytes(StandardCharsets.UTF_8)));
        }
        ProcessorConfig config = new ProcessorConfig("share-it", 6, ProcessorConfig.Mode.SHARE, ProcessorConfig.Delivery.AT_LEAST_ONCE, kafka.uniqueName("share-group"),
                GroupProtocol.CONSUMER, 10, Duration.ofMillis(100), 1, 5, 3, Duration.ofMillis(10), Duration.ofMillis(100),
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(10), Path.of("no-plugins"), settings);

        try (ProcessorService processor = ProcessorService.create(config)) {
            processor.start();

            await().atMost(Duration.ofSeconds(90)).until(() -> repliedIds(kafka, topics).containsAll(sent));

            Map<RequestId, Integer> repliesPerRequest = new HashMap<>();
            Set<String> workers = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> record : kafka.records(topics.replies(), true)) {
                Reply reply = Json.readReply(record.value());
                repliesPerRequest.merge(reply.requestId(), 1, Integer::sum);
                workers.add(reply.processor());
                assertThat(reply.status()).isEqualTo(ReplyStatus.OK);
            }
            // at least once: every request has a reply (a redelivery could add a second; the store keeps one)
            assertThat(repliesPerRequest.keySet()).containsExactlyInAnyOrderElementsOf(sent);
            // six consumers on two partitions: more workers than partitions took records
            assertThat(workers).hasSizeGreaterThan(2);
            // the garbage was rejected to the dead-letter topic, and did not hold anything up
            List<ConsumerRecord<byte[], byte[]>> dead = kafka.records(topics.dlq(), true);
            assertThat(dead).isNotEmpty().allSatisfy(d -> assertThat(new String(d.value(), StandardCharsets.UTF_8)).isEqualTo("not a request"));
        }
    }

    private static Set<RequestId> repliedIds(KafkaBroker kafka, Topics topics) throws Exception {
        Set<RequestId> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.records(topics.replies(), true)) {
            ids.add(Json.readReply(record.value()).requestId());
        }
        return ids;
    }
}
