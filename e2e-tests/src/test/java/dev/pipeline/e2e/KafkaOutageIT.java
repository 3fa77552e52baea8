package dev.pipeline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.core.kafka.Topics;
import dev.pipeline.core.message.Json;
import dev.pipeline.testkit.JavaProcess;

/**
 * A Kafka outage as it happens in production: the broker, a {@code pipeline broker} process of
 * its own, is killed (SIGKILL) while requests flow, and later started again on its data
 * directory and ports. While it is down, ingest must never say 202: every answer is 503 with
 * {@code Retry-After}. Once it is back, the same ingest, processor and reply processes go on, and
 * every request that was ever answered 202 gets exactly one reply.
 */
class KafkaOutageIT {

    private static final Logger log = LoggerFactory.getLogger(KafkaOutageIT.class);
    private static final Duration START = Duration.ofSeconds(90);
    /** Ingest's bound on a write: a request Kafka does not acknowledge within it gets 503. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(3);
    /** Settings as in the test kit's broker: quick group heartbeats, one partition per internal topic. */
    private static final Map<String, String> BROKER_ENVIRONMENT = Map.of(
            "KAFKA_GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS", "500",
            "KAFKA_GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS", "500",
            "KAFKA_GROUP_CONSUMER_ASSIGNMENT_INTERVAL_MS", "0",
            "KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "1",
            "KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "1");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<JavaProcess> brokers = new ArrayList<>();

    @AfterEach
    void stopTheBroker() {
        // after the services (closed by the test): they stop more cleanly with Kafka there
        for (JavaProcess broker : brokers) {
            if (broker.isAlive()) {
                broker.terminate(Duration.ofSeconds(30));
            }
            broker.close();
        }
    }

    @Test
    void whileTheBrokerIsDownIngestAnswers503AndOnceItIsBackEveryAcceptedRequestGetsOneReply(@TempDir Path workDir) throws Exception {
        int port = freePort();
        int controllerPort = freePort();
        Path dataDir = workDir.resolve("kafka");
        JavaProcess broker = startBroker(workDir, dataDir, port, controllerPort);
        String bootstrap = "127.0.0.1:" + port;
        Topics topics = new Topics("outage.");

        try (Services services = new Services(bootstrap, topics, workDir, 6)) {
            services.startReply("--group", "outage-reply");
            JavaProcess processor = services.startProcessor("outage", 2, "--group", "outage-processor");
            String ingest = services.startIngest("--send-timeout", SEND_TIMEOUT.toMillis() + "ms");
            List<String> accepted = new ArrayList<>();

            // requests flow; the broker dies under them
            List<Flood.Answer> aroundTheKill;
            long killed;
            try (Flood before = Flood.start(ingest, "outage", "before", "echo", "1", Duration.ofMillis(10), Integer.MAX_VALUE, 64)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> before.answers().stream().filter(a -> a.status() == 202).count() >= 200);
                assertThat(broker.kill(Duration.ofSeconds(30))).isEqualTo(137);
                killed = System.nanoTime();
                // the requests under way end one way or the other within the send timeout
                aroundTheKill = before.stop(SEND_TIMEOUT.multipliedBy(3));
            }
            log.info("requests around the kill: {}", outcomes(aroundTheKill));
            assertThat(aroundTheKill).allSatisfy(a -> assertThat(a.status()).as(a.toString()).isIn(202, 503));
            // once the broker is gone, nothing can be acknowledged: whatever was sent later got 503
            assertThat(aroundTheKill).filteredOn(a -> a.sentNanos() > killed).allSatisfy(KafkaOutageIT::assertRetryLater);
            aroundTheKill.stream().filter(a -> a.status() == 202).forEach(a -> accepted.add(a.id()));

            // while it is down: a good number of requests over a few seconds, every one refused with Retry-After
            try (Flood during = Flood.start(ingest, "outage", "during", "echo", "1", Duration.ofMillis(50), 80, 100)) {
                await().atMost(SEND_TIMEOUT.multipliedBy(3).plusSeconds(10)).until(during::finished);
                List<Flood.Answer> answers = during.answers();
                log.info("requests while the broker was down: {}", outcomes(answers));
                assertThat(answers).hasSize(80).allSatisfy(KafkaOutageIT::assertRetryLater);
            }
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(ingest + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);

            // back, on the same data and ports; the services find it by themselves
            long restarted = System.nanoTime();
            broker = startBroker(workDir, dataDir, port, controllerPort);
            log.info("the broker was ready again {} ms after its restart", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
            List<Flood.Answer> retries = new CopyOnWriteArrayList<>();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                Flood.Answer answer = postOne(ingest, "retry-" + retries.size());
                retries.add(answer);
                return answer.status() == 202;
            });
            log.info("ingest accepted again {} ms after the broker was restarted, after {} tries",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted), retries.size());
            assertThat(retries).allSatisfy(a -> assertThat(a.status()).as(a.toString()).isIn(202, 503));
            retries.stream().filter(a -> a.status() == 202).forEach(a -> accepted.add(a.id()));
            try (Flood after = Flood.start(ingest, "outage", "after", "echo", "1", Duration.ofMillis(10), 300, 64)) {
                await().atMost(Duration.ofSeconds(60)).until(after::finished);
                assertThat(after.answers()).allSatisfy(a -> assertThat(a.status()).as(a.toString()).isEqualTo(202));
                after.answers().forEach(a -> accepted.add(a.id()));
            }

            // every request answered 202, before, around and after the outage, gets its reply: one; so does
            // every request on the topic, also one that got 503 but was written after all
            Set<String> written = PipelineRecords.requestIds(bootstrap, topics.requests(), "outage");
            assertThat(written).containsAll(accepted);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(PipelineRecords.storedIds(services.replyStore(), "outage")).containsAll(written));
            Map<String, Integer> replies = PipelineRecords.replyCounts(bootstrap, topics.replies(), "outage");
            assertThat(replies.keySet()).isEqualTo(written);
            assertThat(replies).allSatisfy((id, count) -> assertThat(count).as("replies to %s", id).isEqualTo(1));
            long[] rows = PipelineRecords.storeCounts(services.replyStore(), "outage");
            assertThat(rows[0]).isEqualTo(rows[1]).isEqualTo(replies.size());
            log.info("{} requests accepted, {} written, {} replied", accepted.size(), written.size(), replies.size());

            // the same processes carried on through the outage
            assertThat(processor.isAlive()).as("the processor survived the outage").isTrue();
            assertThat(services.replyProcess().isAlive()).as("the reply service survived the outage").isTrue();
            assertThat(services.ingestProcess().isAlive()).as("ingest survived the outage").isTrue();
        }
    }

    /** 503, problem+json, with Retry-After: the client is told to come back, never that it was accepted. */
    private static void assertRetryLater(Flood.Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
        assertThat(answer.contentType()).as(answer.toString()).startsWith("application/problem+json");
        assertThat(answer.retryAfter()).as(answer.toString()).isNotBlank();
        try {
            assertThat(Json.mapper().readTree(answer.body()).get("status").asInt()).as(answer.toString()).isEqualTo(503);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + answer, e);
        }
    }

    private Flood.Answer postOne(String ingest, String id) throws InterruptedException {
        String body = "{\"id\":\"" + id + "\",\"client\":\"outage\",\"type\":\"echo\",\"payload\":1}";
        long sent = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ingest + "/v1/requests"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return new Flood.Answer(id, sent, response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("Retry-After").orElse(null), response.body(), null);
        } catch (IOException e) {
            return new Flood.Answer(id, sent, 0, null, null, null, e);
        }
    }

    private JavaProcess startBroker(Path workDir, Path dataDir, int port, int controllerPort) {
        JavaProcess broker = JavaProcess.startJar("broker", Services.JAR, List.of("broker", "--data-dir", dataDir.toString(),
                "--port", String.valueOf(port), "--controller-port", String.valueOf(controllerPort)), workDir, BROKER_ENVIRONMENT);
        brokers.add(broker);
        broker.awaitStdoutLine(line -> line.startsWith("Kafka broker ready at 127.0.0.1:" + port), START);
        return broker;
    }

    private static Map<String, Long> outcomes(List<Flood.Answer> answers) {
        return answers.stream().collect(Collectors.groupingBy(
                a -> a.answered() ? String.valueOf(a.status()) : a.failure().getClass().getSimpleName(), Collectors.counting()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
