package dev.pipeline.reply;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.core.kafka.KafkaClients;
import dev.pipeline.core.kafka.TopicSetup;
import dev.pipeline.core.runtime.ServiceRunner;
import dev.pipeline.reply.consumer.ReplyConsumerLoop;
import dev.pipeline.reply.http.HttpSettings;
import dev.pipeline.reply.http.ReplyHttpServer;
import dev.pipeline.reply.notify.StreamHub;
import dev.pipeline.reply.notify.Waiters;
import dev.pipeline.reply.store.IncomingReply;
import dev.pipeline.reply.store.ReplyStore;
import dev.pipeline.reply.store.WriteResult;

/**
 * The reply service: a consumer thread moves replies from the replies topic into the store and
 * wakes long-polls and SSE streams; HTTP serves them. The constructor only builds the parts;
 * {@link #start()} opens the store, creates missing topics, starts the consumer and then HTTP.
 */
public final class ReplyService implements ServiceRunner.Service {

    private static final Logger log = LoggerFactory.getLogger(ReplyService.class);

    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);
    private static final long TOPIC_SETUP_TIMEOUT_SECONDS = 30;

    private final ReplyConfig config;
    private final KafkaClients clients;
    private final ReplyStore store;
    private final Waiters waiters;
    private final StreamHub streams;
    private final ReplyConsumerLoop consumer;
    private final ReplyHttpServer http;
    private final ScheduledExecutorService sweeper;
    private final AtomicBoolean closed = new AtomicBoolean();

    public ReplyService(ReplyConfig config) {
        this.config = config;
        this.clients = new KafkaClients(config.kafka(), "reply-" + UUID.randomUUID().toString().substring(0, 8));
        this.store = new ReplyStore(config.store());
        this.waiters = new Waiters(config.maxWaiters(), Clock.systemUTC());
        this.streams = new StreamHub(config.maxWaiters());
        this.consumer = new ReplyConsumerLoop(() -> clients.replyConsumer(config.groupId()),
                config.kafka().topics().replies(), store::write, this::afterCommit);
        this.http = new ReplyHttpServer(
                new HttpSettings(config.host(), config.port(), config.maxWait(), config.heartbeat(), config.authToken()),
                store, waiters, streams, consumer::running);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("reply-waiter-sweep").daemon().factory());
    }

    @Override
    public void start() {
        store.open();
        ensureTopics();
        consumer.start();
        sweeper.scheduleWithFixedDelay(waiters::sweep, SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        http.start();
        log.info("reply service listening on {}:{}, store {}, group {}, topic {}", config.host(), http.port(),
                store.describe(), config.groupId(), config.kafka().topics().replies());
    }

    private void ensureTopics() {
        try (Admin admin = clients.admin()) {
            TopicSetup.ensure(admin, config.kafka(), TOPIC_SETUP_TIMEOUT_SECONDS);
        }
    }

    /** The bound HTTP port; after {@link #start()}. */
    public int port() {
        return http.port();
    }

    /** The store's URL with any password hidden. */
    public String storeDescription() {
        return store.describe();
    }

    /** Long polls waiting now. */
    int waitingRequests() {
        return waiters.waiting();
    }

    /** Batches the store refused since start; each is retried until it goes in. */
    long failedStoreWrites() {
        return consumer.failedWrites();
    }

    @Override
    public CompletableFuture<Throwable> fatalError() {
        return consumer.failure();
    }

    /** Runs on the consumer thread after a batch's offsets were committed. */
    private void afterCommit(WriteResult result) {
        if (result.inserted().isEmpty()) {
            return;
        }
        Set<String> clientsStored = new HashSet<>();
        for (IncomingReply reply : result.inserted()) {
            waiters.arrived(reply.requestId(), reply.json());
            if (reply.reply().client() != null) {
                clientsStored.add(reply.reply().client());
            }
        }
        streams.published(clientsStored);
    }

    /**
     * Stops in reverse order: end long polls and streams and stop HTTP, stop the consumer (it
     * commits what it stored and leaves the group), then close the store. Idempotent; each step
     * is bounded and runs even if an earlier one failed.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        step("end long polls", waiters::close);
        step("end SSE streams", streams::close);
        step("stop HTTP", http::close);
        step("stop the consumer", consumer::close);
        step("stop the waiter sweep", sweeper::shutdownNow);
        step("close the store", store::close);
    }

    private static void step(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("while stopping the reply service: could not {}", what, e);
        }
    }
}
