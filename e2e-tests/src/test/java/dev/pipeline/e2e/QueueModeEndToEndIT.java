package dev.pipeline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.kafka.Topics;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;
import dev.pipeline.testkit.KafkaBroker;
import dev.pipeline.testkit.WithKafka;

/**
 * Queue mode as users run it: processors on a share group, more consumers than partitions,
 * as separate OS processes; the client sees exactly one reply per request in the store.
 */
@WithKafka
class QueueModeEndToEndIT {

    @Test
    void moreShareConsumersThanPartitionsReplyOncePerRequestInTheStore(KafkaBroker kafka, @TempDir Path workDir) throws Exception {
        Topics topics = new Topics(kafka.uniqueName("queue") + ".");
        try (Services services = new Services(kafka, topics, workDir, 2)) {
            services.startReply();
            services.startProcessor("queue-1", 3, "--mode", "share");
            services.startProcessor("queue-2", 3, "--mode", "share");
            services.startIngest();

            List<String> ids = submit(services.ingestUrl(), 1_000);

            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> storeRows(services.replyStore()) >= ids.size());

            assertThat(storeRows(services.replyStore())).isEqualTo(ids.size());
            Set<String> replied = new HashSet<>();
            Set<String> workers = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> record : kafka.records(topics.replies(), true)) {
                Reply reply = Json.readReply(record.value());
                replied.add(reply.requestId().value());
                workers.add(reply.processor());
            }
            assertThat(replied).containsExactlyInAnyOrderElementsOf(ids);
            // six share consumers on two partitions, in two processes: more than two took work
            assertThat(workers).hasSizeGreaterThan(2);
        }
    }

    private static List<String> submit(String ingestUrl, int count) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < count; i++) {
            body.append("{\"client\":\"queue\",\"key\":\"k-").append(i % 10).append("\",\"type\":\"sleep\",\"payload\":5}\n");
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ingestUrl + "/v1/requests/batch"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            JsonNode result = Json.mapper().readTree(line);
            assertThat(result.get("status").asInt()).as(line).isEqualTo(202);
            ids.add(result.get("id").asText());
        }
        return ids;
    }

    private static long storeRows(Path store) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + store);
             var statement = db.prepareStatement("SELECT COUNT(*) FROM replies WHERE client = 'queue'");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
