package dev.pipeline.reply;

import static dev.pipeline.reply.testing.TestReplies.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pipeline.core.kafka.KafkaSettings;
import dev.pipeline.core.kafka.Topics;
import dev.pipeline.core.message.Json;
import dev.pipeline.core.message.Reply;
import dev.pipeline.reply.testing.PostgresServer;
import dev.pipeline.reply.testing.ReplyHttp;
import dev.pipeline.reply.testing.ReplyProducer;
import dev.pipeline.reply.testing.WithPostgres;
import dev.pipeline.testkit.KafkaBroker;
import dev.pipeline.testkit.WithKafka;

/** The reply service on PostgreSQL: one service, a restart, and two services sharing one database. */
@WithKafka
@WithPostgres
class PostgresReplyServiceIT {

    private static final Duration AWAIT = Duration.ofSeconds(30);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private static ReplyConfig config(KafkaBroker kafka, PostgresServer postgres) {
        KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), new Topics(kafka.uniqueName("t") + "."), 3,
                (short) 1, Map.of());
        return ReplyConfig.defaults(settings).withPort(0).withStore(postgres.createDatabase(), null, null)
                .withGroupId(kafka.uniqueName("reply"));
    }

    private ReplyService start(ReplyConfig config) {
        ReplyService service = new ReplyService(config);
        toClose.add(service);
        service.start();
        return service;
    }

    @Test
    void storesCommittedRepliesOnceAndResumesAfterARestart(KafkaBroker kafka, PostgresServer postgres) throws Exception {
        ReplyConfig config = config(kafka, postgres);
        ReplyProducer producer = new ReplyProducer(config.kafka(), kafka.uniqueName("tx"));
        toClose.add(producer);
        try (ReplyService first = new ReplyService(config)) {
            first.start();
            ReplyHttp http = new ReplyHttp(first.port());
            producer.abort(reply("pg-aborted", "alice", "never"));
            producer.commit(reply("pg-1", "alice", "first"), reply("pg-2", "alice", "two"));
            producer.commit(reply("pg-1", "alice", "second"));

            await().atMost(AWAIT).until(() -> http.stat("duplicates") == 1);
            Reply stored = Json.mapper().readValue(http.get("/v1/replies/pg-1").body(), Reply.class);
            assertThat(stored.result().asText()).isEqualTo("first");
            assertThat(http.get("/v1/replies/pg-aborted").statusCode()).isEqualTo(404);
            assertThat(http.stat("stored")).isEqualTo(2);
        }
        producer.commit(reply("pg-3", "alice", "while down"));

        ReplyService second = start(config);
        ReplyHttp http = new ReplyHttp(second.port());
        producer.commit(reply("pg-4", "alice", "after"));

        await().atMost(AWAIT).until(() -> http.stat("stored") == 4);
        assertThat(http.stat("duplicates")).isEqualTo(1);
        assertThat(http.allRequestIds("alice", 3)).containsExactly("pg-1", "pg-2", "pg-3", "pg-4");
    }

    @Test
    void twoServicesSharingADatabaseAndGroupStoreEachReplyOnceAndAnswerEachOthersLongPolls(
            KafkaBroker kafka, PostgresServer postgres) throws Exception {
        ReplyConfig config = config(kafka, postgres);
        ReplyHttp a = new ReplyHttp(start(config).port());
        ReplyHttp b = new ReplyHttp(start(config).port());
        List<String> clients = List.of("c0", "c1", "c2", "c3", "c4", "c5");
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (String client : clients) {
            polls.add(a.getAsync("/v1/replies/" + client + "-0?wait=20s"));
            polls.add(b.getAsync("/v1/replies/" + client + "-0?wait=20s"));
        }

        ReplyProducer producer = new ReplyProducer(config.kafka(), kafka.uniqueName("tx"));
        toClose.add(producer);
        for (int i = 0; i < 5; i++) {
            List<Reply> batch = new ArrayList<>();
            for (String client : clients) {
                batch.add(reply(client + "-" + i, client, "x"));
            }
            producer.commit(batch);
        }

        await().atMost(AWAIT).until(() -> a.stat("stored") == 30);
        assertThat(b.stat("stored")).isEqualTo(30);
        assertThat(a.stat("duplicates")).isZero();
        for (CompletableFuture<HttpResponse<String>> poll : polls) {
            assertThat(poll.get(25, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        for (String client : clients) {
            assertThat(b.allRequestIds(client, 2)).containsExactly(
                    client + "-0", client + "-1", client + "-2", client + "-3", client + "-4");
        }
    }
}
