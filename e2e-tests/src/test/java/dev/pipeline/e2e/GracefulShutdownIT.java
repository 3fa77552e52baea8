package dev.pipeline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pipeline.core.kafka.Topics;
import dev.pipeline.core.message.Json;
import dev.pipeline.testkit.JavaProcess;
import dev.pipeline.testkit.KafkaBroker;
import dev.pipeline.testkit.WithKafka;

/**
 * SIGTERM, the way an orchestrator stops a service, to each service while requests flow: a
 * processor leaves no transaction open and hands its partitions over at once; ingest answers
 * every request it had begun; the reply service, stopped (or killed) and started again on its
 * store, ends with exactly one row per request. Judged from the topics, the transaction
 * coordinator, the consumer group and the store.
 */
@WithKafka
class GracefulShutdownIT {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdownIT.class);

    /** The JVM's exit status after SIGTERM once its shutdown hooks ran (128 + 15); SIGKILL gives 137. */
    private static final int EXIT_AFTER_SIGTERM = 143;
    private static final int PARTITIONS = 12;
    private static final Duration PROCESSOR_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Group sessions on the test broker last 10 s: a member that left is replaced well within
     * this, one that merely died only after its session ran out.
     */
    private static final Duration HAND_OVER_BOUND = Duration.ofSeconds(6);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aProcessorStoppedUnderLoadLeavesNoOpenTransactionAndHandsItsPartitionsOverAtOnce(KafkaBroker kafka, @TempDir Path workDir)
            throws Exception {
        Topics topics = new Topics(kafka.uniqueName("graceful-processor") + ".");
        String group = kafka.uniqueName("graceful-group");
        try (Services services = new Services(kafka, topics, workDir, PARTITIONS);
             Admin admin = kafka.admin()) {
            // I/O-bound requests (50 ms each), four keys at once, at most 40 per transaction: a worker
            // manages about 80 a second, so four are busy most of the time at 200 a second, two fall behind
            String[] processorArgs = {"--group", group, "--concurrency", "4", "--max-poll-records", "40",
                    "--shutdown-timeout", PROCESSOR_SHUTDOWN_TIMEOUT.toSeconds() + "s"};
            JavaProcess leaving = services.startProcessor("leaving", 2, processorArgs);
            services.startProcessor("staying", 2, processorArgs);
            String ingest = services.startIngest();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(owners(admin, group, topics.requests()).values()).containsOnly("leaving", "staying").hasSize(PARTITIONS));

            try (SteadyLoad load = SteadyLoad.start(ingest, "busy", "sleep", "50", 20, Duration.ofMillis(100), 48, 8_000)) {
                // both work, under load
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(PipelineRecords.repliesByInstance(kafka.bootstrapServers(), topics.replies(), "busy"))
                                .hasEntrySatisfying("leaving", n -> assertThat(n).isGreaterThan(300))
                                .hasEntrySatisfying("staying", n -> assertThat(n).isGreaterThan(300)));

                // SIGTERM while one of its transactions is open, as the coordinator sees it
                List<String> transactionalIds = List.of(group + "-leaving-0", group + "-leaving-1");
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() ->
                        transactionStates(admin, transactionalIds).contains(TransactionState.ONGOING));
                long signalled = System.nanoTime();
                int exitCode = leaving.terminate(PROCESSOR_SHUTDOWN_TIMEOUT.plusSeconds(20));
                long exited = System.nanoTime();
                // what the replies topic held, committed or not, when it was gone: its last transaction is in there
                Map<TopicPartition, Long> endAtExit = endOffsets(admin, topics.replies(), IsolationLevel.READ_UNCOMMITTED);
                log.info("processor 'leaving' exited {} ms after SIGTERM", millis(exited - signalled));
                assertThat(exitCode).as("exit status after SIGTERM\n%s", String.join("\n", leaving.stderr()))
                        .isEqualTo(EXIT_AFTER_SIGTERM);
                assertThat(Duration.ofNanos(exited - signalled)).isLessThan(PROCESSOR_SHUTDOWN_TIMEOUT);
                assertThat(leaving.stderr()).as("it finished its batches in time, nothing was interrupted")
                        .noneMatch(line -> line.contains("did not finish its batch") || line.contains("still running"));

                // its partitions went to the member that stays, sooner than a dead member's session would end
                await().atMost(HAND_OVER_BOUND.minusNanos(System.nanoTime() - exited)).pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> assertThat(owners(admin, group, topics.requests()))
                                .hasSize(PARTITIONS)
                                .allSatisfy((partition, owner) -> assertThat(owner).isEqualTo("staying")));
                log.info("all {} partitions owned by 'staying' {} ms after 'leaving' exited", PARTITIONS, millis(System.nanoTime() - exited));

                // no transaction of its left open: the coordinator has each one ended...
                log.info("its transactions right after the exit: {}", transactionStates(admin, transactionalIds));
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(transactionStates(admin, transactionalIds)).hasSize(2)
                                .allMatch(state -> state == TransactionState.EMPTY || state == TransactionState.COMPLETE_COMMIT
                                        || state == TransactionState.COMPLETE_ABORT));
                // ...and read_committed readers get past everything written up to its exit: an open
                // transaction would hold the last stable offset back until its 60 s timeout
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    Map<TopicPartition, Long> stable = endOffsets(admin, topics.replies(), IsolationLevel.READ_COMMITTED);
                    endAtExit.forEach((partition, end) -> assertThat(stable.get(partition)).as("LSO of %s", partition).isGreaterThanOrEqualTo(end));
                });


                // the one left carries on
                int afterExit = PipelineRecords.repliesByInstance(kafka.bootstrapServers(), topics.replies(), "busy").get("staying");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                        PipelineRecords.repliesByInstance(kafka.bootstrapServers(), topics.replies(), "busy").get("staying") > afterExit + 200);
                load.close();

                List<String> accepted = load.accepted();
                assertThat(load.problems()).as("ingest refused requests").isEmpty();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        PipelineRecords.replyCounts(kafka.bootstrapServers(), topics.replies(), "busy").keySet().containsAll(accepted));
                Map<String, Integer> replies = PipelineRecords.replyCounts(kafka.bootstrapServers(), topics.replies(), "busy");
                assertThat(replies.keySet()).containsExactlyInAnyOrderElementsOf(accepted);
                assertThat(replies).allSatisfy((id, count) -> assertThat(count).as("replies to %s", id).isEqualTo(1));
            }
        }
    }

    @Test
    void ingestStoppedWithRequestsUnderWayAnswersEachOneAndEveryAcceptedOneGetsItsReply(KafkaBroker kafka, @TempDir Path workDir)
            throws Exception {
        Topics topics = new Topics(kafka.uniqueName("graceful-ingest") + ".");
        try (Services services = new Services(kafka, topics, workDir, 3)) {
            services.startProcessor("drain", 2, "--group", kafka.uniqueName("drain-group"));
            String ingest = services.startIngest();
            JavaProcess ingestProcess = services.ingestProcess();

            ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("trickle").daemon().factory());
            List<HeldRequest> held = new ArrayList<>();
            try (Flood flood = Flood.start(ingest, "drain", "flood", "echo", "1", Duration.ofMillis(5), Integer.MAX_VALUE, 64)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> flood.answers().stream().filter(a -> a.status() == 202).count() >= 200);
                // in flight for certain: their handlers run and read their bodies, which come slowly
                for (int i = 0; i < 16; i++) {
                    held.add(HeldRequest.start(ingest, "/v1/requests",
                            "{\"id\":\"held-" + i + "\",\"client\":\"drain\",\"key\":\"h-" + i + "\",\"type\":\"echo\",\"payload\":" + i + "}",
                            trickler));
                }

                long signalled = System.nanoTime();
                ProcessHandle.of(ingestProcess.pid()).orElseThrow().destroy(); // SIGTERM, without waiting
                // it stops taking connections: the shutdown is under way
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> !accepts(ingest));
                assertThat(ingestProcess.isAlive()).as("still draining").isTrue();

                // the requests it had begun are still answered, and accepted: Kafka is there
                List<String> accepted = new ArrayList<>();
                for (int i = 0; i < held.size(); i++) {
                    HeldRequest request = held.get(i);
                    HeldRequest.Answer answer;
                    try {
                        answer = request.finish();
                    } catch (IOException e) {
                        throw new AssertionError("request held-" + i + " was under way at the SIGTERM and got no answer", e);
                    }
                    assertThat(answer.status()).as("held-%d: %s", i, answer.body()).isEqualTo(202);
                    accepted.add(Json.mapper().readTree(answer.body()).get("id").asText());
                    request.close();
                }
                int exitCode = ingestProcess.awaitExit(Duration.ofSeconds(30));
                log.info("ingest exited {} ms after SIGTERM", millis(System.nanoTime() - signalled));
                assertThat(exitCode).isEqualTo(EXIT_AFTER_SIGTERM);

                List<Flood.Answer> answers = flood.stop(Duration.ofSeconds(30));
                Map<String, Long> outcomes = answers.stream().collect(Collectors.groupingBy(
                        a -> a.answered() ? String.valueOf(a.status()) : a.failure().getClass().getSimpleName(), Collectors.counting()));
                log.info("flood outcomes around the SIGTERM: {}", outcomes);
                // every request that got an answer got 202, or a 503 problem telling it to come back later
                assertThat(answers).filteredOn(Flood.Answer::answered)
                        .allSatisfy(a -> assertThat(a.status()).as(a.toString()).isIn(202, 503));
                assertThat(answers).filteredOn(a -> a.status() == 503).allSatisfy(a -> {
                    assertThat(a.contentType()).as(a.toString()).startsWith("application/problem+json");
                    assertThat(a.retryAfter()).as(a.toString()).isNotBlank();
                    assertThat(Json.mapper().readTree(a.body()).get("status").asInt()).isEqualTo(503);
                });
                answers.stream().filter(a -> a.status() == 202).forEach(a -> accepted.add(a.id()));
                // The rest got no answer: most could not connect once the port was closed. A client can
                // also lose the race with the server closing a kept-alive idle connection, or connect into
                // the listen backlog just as the port closes; such a request never reached the service
                // (HTTP leaves the retry to the client). What the service did take it answered: the held
                // requests above, and the check below that it wrote nothing it did not answer with 202.
                Set<String> written = PipelineRecords.requestIds(kafka.bootstrapServers(), topics.requests(), "drain");
                assertThat(written).containsAll(accepted);
                Set<String> notAccepted = answers.stream().filter(a -> a.status() != 202).map(Flood.Answer::id).collect(Collectors.toSet());
                assertThat(notAccepted).as("requests written but not answered 202").doesNotContainAnyElementsOf(written);

                // and each accepted one gets exactly one reply
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        PipelineRecords.replyCounts(kafka.bootstrapServers(), topics.replies(), "drain").keySet().containsAll(accepted));
                Map<String, Integer> replies = PipelineRecords.replyCounts(kafka.bootstrapServers(), topics.replies(), "drain");
                assertThat(replies.keySet()).containsExactlyInAnyOrderElementsOf(accepted);
                assertThat(replies).allSatisfy((id, count) -> assertThat(count).as("replies to %s", id).isEqualTo(1));
            } finally {
                trickler.shutdownNow();
                held.forEach(HeldRequest::close);
            }
        }
    }

    @Test
    void theReplyServiceKilledMidStreamResumesOnItsStoreWithNoGapAndNoDuplicateRow(KafkaBroker kafka, @TempDir Path workDir)
            throws Exception {
        // a kill may come between storing a batch and committing its offsets: those replies come
        // again and are counted as duplicates, never stored twice; a graceful stop replays nothing
        restartTheReplyServiceMidStream(kafka, workDir, true);
    }

    @Test
    void theReplyServiceStoppedMidStreamResumesOnItsStoreWithNoGapAndNothingReplayed(KafkaBroker kafka, @TempDir Path workDir)
            throws Exception {
        long duplicates = restartTheReplyServiceMidStream(kafka, workDir, false);
        assertThat(duplicates).as("a stopped reply service commits what it stored: nothing is consumed twice").isZero();
    }

    /** Returns the duplicates the store counted. */
    private long restartTheReplyServiceMidStream(KafkaBroker kafka, Path workDir, boolean kill) throws Exception {
        Topics topics = new Topics(kafka.uniqueName(kill ? "reply-kill" : "reply-stop") + ".");
        String replyGroup = kafka.uniqueName("reply-group");
        int total = 3_000;
        try (Services services = new Services(kafka, topics, workDir, 6)) {
            services.startReply("--group", replyGroup);
            services.startProcessor("replying", 2, "--group", kafka.uniqueName("replying-group"));
            String ingest = services.startIngest();
            try (SteadyLoad load = SteadyLoad.start(ingest, "restart", "echo", "\"x\"", 50, Duration.ofMillis(50), 24, total)) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                        PipelineRecords.storeCounts(services.replyStore(), "restart")[0] >= 500);

                JavaProcess first = services.replyProcess();
                if (kill) {
                    assertThat(first.kill(Duration.ofSeconds(30))).isEqualTo(137);
                } else {
                    long signalled = System.nanoTime();
                    assertThat(first.terminate(Duration.ofSeconds(40))).isEqualTo(EXIT_AFTER_SIGTERM);
                    log.info("reply service exited {} ms after SIGTERM", millis(System.nanoTime() - signalled));
                }
                long storedByFirst = PipelineRecords.storeCounts(services.replyStore(), "restart")[0];
                assertThat(storedByFirst).as("stopped mid-stream").isLessThan(total);

                String replyUrl = services.startReply("--group", replyGroup);
                await().atMost(Duration.ofSeconds(60)).until(load::done);
                List<String> accepted = load.accepted();
                assertThat(load.problems()).isEmpty();
                assertThat(accepted).hasSize(total);

                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                        PipelineRecords.storeCounts(services.replyStore(), "restart")[0] >= total);
                // no gap: a row for every request; no duplicate: one row for each
                long[] counts = PipelineRecords.storeCounts(services.replyStore(), "restart");
                assertThat(counts[0]).as("rows").isEqualTo(total);
                assertThat(counts[1]).as("distinct request ids").isEqualTo(total);
                assertThat(PipelineRecords.storedIds(services.replyStore(), "restart")).containsExactlyInAnyOrderElementsOf(accepted);
                // the replies topic agrees: one committed reply per request, each stored
                assertThat(PipelineRecords.replyCounts(kafka.bootstrapServers(), topics.replies(), "restart"))
                        .hasSize(total).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));

                // the counters live in the store: they cover both runs of the service
                JsonNode stats = Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(replyUrl + "/v1/stats")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                log.info("reply store after the {}: {} (first run stored {})", kill ? "kill" : "stop", stats, storedByFirst);
                assertThat(stats.get("stored").asLong()).isEqualTo(total);
                assertThat(stats.get("unparseable").asLong()).isZero();
                long duplicates = stats.get("duplicates").asLong();
                // only what the first run stored can come again
                assertThat(duplicates).isBetween(0L, storedByFirst);
                return duplicates;
            }
        }
    }

    /** The owner (processor instance id) of each partition of {@code topic} in {@code group}. */
    private static Map<Integer, String> owners(Admin admin, String group, String topic) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                .get(10, TimeUnit.SECONDS);
        Map<Integer, String> owners = new HashMap<>();
        for (MemberDescription member : description.members()) {
            // client ids are processor-<instance id>-requests-consumer-<n>
            String instance = member.clientId().replaceFirst("^processor-", "").replaceFirst("-requests-consumer-\\d+$", "");
            for (TopicPartition partition : member.assignment().topicPartitions()) {
                if (partition.topic().equals(topic)) {
                    String previous = owners.put(partition.partition(), instance);
                    assertThat(previous).as("partition %s owned twice", partition).isNull();
                }
            }
        }
        return owners;
    }

    private static List<TransactionState> transactionStates(Admin admin, List<String> transactionalIds) throws Exception {
        return admin.describeTransactions(transactionalIds).all().get(10, TimeUnit.SECONDS).values().stream()
                .map(TransactionDescription::state).toList();
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic, IsolationLevel isolation) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, partitions).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get(10, TimeUnit.SECONDS)
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /** Whether a TCP connection to the service's port is accepted. */
    private static boolean accepts(String baseUrl) {
        URI uri = URI.create(baseUrl);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
