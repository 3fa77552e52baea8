package dev.pipeline.reply;

import static dev.pipeline.reply.testing.TestReplies.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.kafka.Topics;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;
import dev.pipeline.reply.testing.ReplyHttp;
import dev.pipeline.reply.testing.ReplyProducer;
import dev.pipeline.reply.testing.SseReader;
import dev.pipeline.testkit.KafkaBroker;
import dev.pipeline.testkit.WithKafka;

/**
 * The reply service in-process against a real broker, with a SQLite store in a temporary folder:
 * replies are produced transactionally, as processors do, and read back over HTTP.
 */
@WithKafka
class ReplyServiceIT {

    private static final Duration AWAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private KafkaSettings kafkaSettings(KafkaBroker kafka) {
        return new KafkaSettings(kafka.bootstrapServers(), new Topics(kafka.uniqueName("t") + "."), 3, (short) 1, Map.of());
    }

    private ReplyConfig config(KafkaBroker kafka) {
        return ReplyConfig.defaults(kafkaSettings(kafka)).withPort(0)
                .withStore("jdbc:sqlite:" + dir.resolve("store/replies.db"), null, null)
                .withGroupId(kafka.uniqueName("reply"));
    }

    private ReplyService start(ReplyConfig config) {
        ReplyService service = new ReplyService(config);
        toClose.add(service);
        service.start();
        return service;
    }

    private ReplyProducer producer(KafkaBroker kafka, ReplyConfig config) {
        ReplyProducer producer = new ReplyProducer(config.kafka(), kafka.uniqueName("tx"));
        toClose.add(producer);
        return producer;
    }

    private static void awaitStored(ReplyHttp http, long stored) {
        await().atMost(AWAIT).until(() -> http.stat("stored") >= stored);
        assertThat(http.stat("stored")).isEqualTo(stored);
    }

    @Test
    void committedRepliesAreStoredAndServedExactlyAsWritten(KafkaBroker kafka) {
        ReplyConfig config = config(kafka);
        ReplyService service = start(config);
        ReplyHttp http = new ReplyHttp(service.port());
        List<Reply> replies = List.of(reply("c-1", "alice", "one"), reply("c-2", "bob", "two"), reply("c-3", "alice", "three"));

        producer(kafka, config).commit(replies);

        awaitStored(http, 3);
        for (Reply reply : replies) {
            HttpResponse<String> response = http.get("/v1/replies/" + reply.requestId());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(response.body()).isEqualTo(new String(Json.toBytes(reply), StandardCharsets.UTF_8));
        }
        assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void repliesOfAnAbortedTransactionAreNeverStored(KafkaBroker kafka) {
        ReplyConfig config = config(kafka);
        ReplyService service = start(config);
        ReplyHttp http = new ReplyHttp(service.port());
        ReplyProducer producer = producer(kafka, config);

        producer.abort(reply("aborted-1", "alice", "never"), reply("aborted-2", "alice", "never"));
        producer.commit(reply("committed-1", "alice", "yes"));

        // same client key, same partition: once the later committed reply is stored, the aborted ones were passed over
        await().atMost(AWAIT).until(() -> http.get("/v1/replies/committed-1").statusCode() == 200);
        assertThat(http.get("/v1/replies/aborted-1").statusCode()).isEqualTo(404);
        assertThat(http.get("/v1/replies/aborted-2").statusCode()).isEqualTo(404);
        assertThat(http.stat("stored")).isEqualTo(1);
    }

    @Test
    void aDuplicateReplyIsStoredOnceAndCounted(KafkaBroker kafka) throws Exception {
        ReplyConfig config = config(kafka);
        ReplyService service = start(config);
        ReplyHttp http = new ReplyHttp(service.port());
        ReplyProducer producer = producer(kafka, config);

        producer.commit(reply("dup-1", "alice", "first"));
        producer.commit(reply("dup-1", "alice", "second"), reply("other-1", "alice", "other"));

        await().atMost(AWAIT).until(() -> http.stat("duplicates") == 1);
        assertThat(Json.mapper().readTree(http.get("/v1/replies/dup-1").body()).get("result").asText()).isEqualTo("first");
        assertThat(http.json("/v1/stats").get("stored").asLong()).isEqualTo(2);
        assertThat(http.allRequestIds("alice", 10)).containsExactly("dup-1", "other-1");
    }

    @Test
    void aLongPollIssuedBeforeTheReplyExistsAnswersWhenItArrives(KafkaBroker kafka) throws Exception {
        ReplyConfig config = config(kafka);
        ReplyService service = start(config);
        ReplyHttp http = new ReplyHttp(service.port());

        CompletableFuture<HttpResponse<String>> poll = http.getAsync("/v1/replies/late-1?wait=10s");
        await().atMost(AWAIT).until(() -> service.waitingRequests() == 1);
        long sent = System.nanoTime();
        producer(kafka, config).commit(reply("late-1", "alice", "worth the wait"));

        HttpResponse<String> response = poll.get(15, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(response.body()).get("result").asText()).isEqualTo("worth the wait");
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(10));
        await().atMost(AWAIT).until(() -> service.waitingRequests() == 0);
    }

    @Test
    void aLongPollForAReplyThatNeverComesEndsIn404AfterItsWait(KafkaBroker kafka) throws Exception {
        ReplyService service = start(config(kafka));
        ReplyHttp http = new ReplyHttp(service.port());

        long began = System.nanoTime();
        HttpResponse<String> response = http.get("/v1/replies/never-1?wait=700ms");

        assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(Json.mapper().readTree(response.body()).get("status").asInt()).isEqualTo(404);
        assertThat(service.waitingRequests()).isZero();
    }

    @Test
    void pagingByClientReturnsEveryReplyExactlyOnce(KafkaBroker kafka) {
        ReplyConfig config = config(kafka);
        ReplyService service = start(config);
        ReplyHttp http = new ReplyHttp(service.port());
        ReplyProducer producer = producer(kafka, config);
        List<String> alice = new ArrayList<>();
        for (int batch = 0; batch < 5; batch++) {
            List<Reply> replies = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                replies.add(reply("a-" + batch + "-" + i, "alice", "x"));
                alice.add("a-" + batch + "-" + i);
                if (i % 2 == 0) {
                    replies.add(reply("b-" + batch + "-" + i, "bob", "y"));
                }
            }
            producer.commit(replies);
        }

        awaitStored(http, 40);
        List<String> paged = http.allRequestIds("alice", 7);

        // one key, one partition: the store keeps alice's replies in the order they were produced
        assertThat(paged).containsExactlyElementsOf(alice);
        assertThat(http.allRequestIds("bob", 1000)).hasSize(15).allMatch(id -> id.startsWith("b-"));
    }

    @Test
    void theStreamDeliversRepliesAndAReconnectResumesWithoutGapOrRepeat(KafkaBroker kafka) throws Exception {
        ReplyConfig config = config(kafka).withWaiting(Duration.ofSeconds(60), 100, Duration.ofMillis(300));
        ReplyService service = start(config);
        ReplyHttp http = new ReplyHttp(service.port());
        ReplyProducer producer = producer(kafka, config);
        producer.commit(reply("s-1", "carol", "1"), reply("s-2", "carol", "2"), reply("other", "dave", "x"));

        List<SseReader.Event> firstRun;
        try (SseReader stream = http.stream("/v1/replies/stream?client=carol", Map.of())) {
            assertThat(stream.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            firstRun = new ArrayList<>(stream.take(2, AWAIT));       // stored before the stream opened
            producer.commit(reply("s-3", "carol", "3"));
            firstRun.addAll(stream.take(1, AWAIT));                   // delivered live
            await().atMost(AWAIT).until(() -> stream.comments() >= 1); // heartbeats on a quiet stream
        }
        producer.commit(reply("s-4", "carol", "4"), reply("s-5", "carol", "5"));
        awaitStored(http, 6);

        List<SseReader.Event> secondRun;
        try (SseReader stream = http.stream("/v1/replies/stream?client=carol",
                Map.of("Last-Event-ID", firstRun.getLast().id()))) {
            secondRun = stream.take(2, AWAIT);
            producer.commit(reply("s-6", "carol", "6"));
            secondRun = new ArrayList<>(secondRun);
            secondRun.addAll(stream.take(1, AWAIT));
            assertThat(stream.pending()).isEmpty();
        }

        try (SseReader stream = http.stream("/v1/replies/stream?client=carol&after=" + firstRun.get(1).id(), Map.of())) {
            List<SseReader.Event> fromAfter = stream.take(4, AWAIT); // s-3 to s-6
            assertThat(fromAfter.getFirst().id()).isEqualTo(firstRun.get(2).id());
            assertThat(fromAfter.getLast().id()).isEqualTo(secondRun.getLast().id());
        }

        List<String> ids = new ArrayList<>();
        for (SseReader.Event event : firstRun) {
            ids.add(Json.mapper().readTree(event.data()).get("requestId").asText());
        }
        for (SseReader.Event event : secondRun) {
            ids.add(Json.mapper().readTree(event.data()).get("requestId").asText());
        }
        assertThat(ids).containsExactly("s-1", "s-2", "s-3", "s-4", "s-5", "s-6");
        assertThat(firstRun).allMatch(e -> e.event().equals("reply"));
        List<Long> cursors = new ArrayList<>();
        firstRun.forEach(e -> cursors.add(Long.parseLong(e.id())));
        secondRun.forEach(e -> cursors.add(Long.parseLong(e.id())));
        assertThat(cursors).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void restartingOnTheSameStoreAndGroupResumesWithoutGapOrDuplicate(KafkaBroker kafka) {
        ReplyConfig config = config(kafka);
        ReplyProducer producer;
        try (ReplyService first = new ReplyService(config)) {
            first.start();
            producer = producer(kafka, config);
            for (int i = 0; i < 5; i++) {
                producer.commit(reply("before-" + i, "erin", "x"));
            }
            awaitStored(new ReplyHttp(first.port()), 5);
        }
        for (int i = 0; i < 5; i++) {
            producer.commit(reply("while-down-" + i, "erin", "x"));
        }

        ReplyService second = start(config);
        ReplyHttp http = new ReplyHttp(second.port());
        producer.commit(reply("after-0", "erin", "x"));

        awaitStored(http, 11);
        assertThat(http.stat("duplicates")).isZero(); // offsets were committed on close: nothing replayed
        assertThat(http.allRequestIds("erin", 4)).containsExactly(
                "before-0", "before-1", "before-2", "before-3", "before-4",
                "while-down-0", "while-down-1", "while-down-2", "while-down-3", "while-down-4", "after-0");
    }

    @Test
    void aRecordThatIsNotAReplyIsCountedAndBlocksNothing(KafkaBroker kafka) {
        ReplyConfig config = config(kafka);
        ReplyService service = start(config);
        ReplyHttp http = new ReplyHttp(service.port());
        ReplyProducer producer = producer(kafka, config);

        producer.commitRaw("alice", "{not json".getBytes(StandardCharsets.UTF_8));
        producer.commit(reply("after-garbage", "alice", "fine"));

        await().atMost(AWAIT).until(() -> http.get("/v1/replies/after-garbage").statusCode() == 200);
        assertThat(http.stat("unparseable")).isEqualTo(1);
        assertThat(http.stat("stored")).isEqualTo(1);
    }

    @Test
    void whenTheStoreRefusesABatchNoOffsetIsCommittedAndTheBatchGoesInLater(KafkaBroker kafka) throws Exception {
        ReplyConfig config = config(kafka);
        ReplyService service = start(config);
        ReplyHttp http = new ReplyHttp(service.port());
        ReplyProducer producer = producer(kafka, config);

        try (Connection blocker = DriverManager.getConnection(config.storeUrl());
             Statement statement = blocker.createStatement()) {
            // another connection holds SQLite's write lock: the service's writes time out (busy)
            blocker.setAutoCommit(false);
            statement.executeUpdate("UPDATE reply_counters SET stored = stored WHERE id = 1");
            producer.commit(reply("blocked-1", "alice", "x"), reply("blocked-2", "alice", "y"));

            await().atMost(AWAIT).until(() -> service.failedStoreWrites() >= 1);
            assertThat(committedOffsets(kafka, config)).isEmpty();
            assertThat(http.get("/v1/replies/blocked-1").statusCode()).isEqualTo(404);
            blocker.rollback();
        }

        await().atMost(AWAIT).until(() -> http.get("/v1/replies/blocked-2").statusCode() == 200);
        assertThat(http.get("/v1/replies/blocked-1").statusCode()).isEqualTo(200);
        assertThat(http.stat("stored")).isEqualTo(2);
        assertThat(http.stat("duplicates")).isZero();
        await().atMost(AWAIT).until(() -> !committedOffsets(kafka, config).isEmpty());
    }

    @Test
    void errorsAreProblemDetails(KafkaBroker kafka) throws Exception {
        ReplyService service = start(config(kafka));
        ReplyHttp http = new ReplyHttp(service.port());

        assertProblem(http.get("/v1/replies/unknown-id"), 404);
        assertProblem(http.get("/v1/replies/x?wait=soon"), 400);
        assertProblem(http.get("/v1/replies?limit=0"), 400);
        assertProblem(http.get("/v1/replies?limit=1001"), 400);
        assertProblem(http.get("/v1/replies?after=nope"), 400);
        assertProblem(http.get("/v1/no-such-route"), 404);
        assertThat(http.json("/v1/replies?client=nobody").get("items")).isEmpty();
    }

    @Test
    void withATokenV1RoutesNeedItAndHealthStaysOpen(KafkaBroker kafka) throws Exception {
        ReplyService service = start(config(kafka).withAuthToken("s3cret"));

        HttpResponse<String> anonymous = new ReplyHttp(service.port()).get("/v1/stats");
        HttpResponse<String> wrong = new ReplyHttp(service.port(), "guess").get("/v1/stats");

        assertProblem(anonymous, 401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertProblem(wrong, 401);
        assertThat(new ReplyHttp(service.port(), "s3cret").get("/v1/stats").statusCode()).isEqualTo(200);
        assertThat(new ReplyHttp(service.port()).get("/health/live").statusCode()).isEqualTo(200);
        await().atMost(AWAIT).until(() -> new ReplyHttp(service.port()).get("/health/ready").statusCode() == 200);
    }

    @Test
    void closingTheServiceEndsOpenStreamsAndLongPollsPromptly(KafkaBroker kafka) throws Exception {
        ReplyService service = new ReplyService(config(kafka));
        service.start();
        ReplyHttp http = new ReplyHttp(service.port());
        CompletableFuture<HttpResponse<String>> poll = http.getAsync("/v1/replies/never?wait=60s");
        try (SseReader stream = http.stream("/v1/replies/stream", Map.of())) {
            await().atMost(AWAIT).until(() -> service.waitingRequests() == 1);

            long began = System.nanoTime();
            service.close();

            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(15));
            assertProblem(poll.get(5, TimeUnit.SECONDS), 503);
            await().atMost(Duration.ofSeconds(5)).until(stream::ended);
        }
    }

    private static void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        var problem = Json.mapper().readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).startsWith("tag:pipeline.dev,");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(KafkaBroker kafka, ReplyConfig config) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(config.groupId())
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            offsets.values().removeIf(java.util.Objects::isNull);
            return offsets;
        }
    }
}
