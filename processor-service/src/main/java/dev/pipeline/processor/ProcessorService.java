package dev.pipeline.processor;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.core.handler.Handlers;
import dev.pipeline.core.kafka.KafkaClients;
import dev.pipeline.core.kafka.TopicSetup;
import dev.pipeline.core.runtime.ConfigException;
import dev.pipeline.core.runtime.ServiceRunner;
import dev.pipeline.processor.internal.Backoff;
import dev.pipeline.processor.internal.HandlerInvoker;
import dev.pipeline.processor.internal.RecordFactory;
import dev.pipeline.processor.internal.RequestProcessor;
import dev.pipeline.processor.internal.ShareWorker;
import dev.pipeline.processor.internal.Worker;
import dev.pipeline.processor.internal.WorkerLoop;

/**
 * The processor: {@code workers} threads, each a {@link Worker} with its own consumer in the
 * group and its own transactional producer. More instances (processes) with the same group
 * share the requests topic's partitions.
 */
public final class ProcessorService implements ServiceRunner.Service {

    private static final Logger log = LoggerFactory.getLogger(ProcessorService.class);

    private final ProcessorConfig config;
    private final KafkaClients clients;
    private final HandlerInvoker invoker;
    private final List<WorkerLoop> workers;
    private final List<Thread> threads = new ArrayList<>();
    /** The worker threads once start() has started them all; read by other threads in healthy(). */
    private volatile List<Thread> started = List.of();
    private final CompletableFuture<Throwable> fatal = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ProcessorService(ProcessorConfig config, Handlers handlers, Clock clock) {
        this.config = config;
        this.clients = new KafkaClients(config.kafka(), "processor-" + config.instanceId());
        this.invoker = new HandlerInvoker(config.handlerTimeout());
        RequestProcessor processor = new RequestProcessor(handlers, invoker,
                new Backoff(config.initialBackoff(), config.maxBackoff(), bound -> ThreadLocalRandom.current().nextLong(bound)),
                config.maxAttempts(), clock, duration -> Thread.sleep(duration));
        RecordFactory records = new RecordFactory(config.kafka().topics().replies(), config.kafka().topics().dlq(),
                maxRecordBytes(config));
        List<WorkerLoop> list = new ArrayList<>();
        for (int i = 0; i < config.workers(); i++) {
            String name = config.instanceId() + "/" + i;
            String requests = config.kafka().topics().requests();
            if (config.mode() == ProcessorConfig.Mode.SHARE) {
                // small polls spread the records over all share consumers instead of a few taking all
                int sharePoll = Math.min(config.maxPollRecords(), 50);
                list.add(new ShareWorker(name, requests, () -> clients.shareConsumer(config.groupId(), sharePoll),
                        clients::replyProducer, processor, records, config.deliveryLimit(), clock, fatal::complete));
            } else {
                String transactionalId = config.transactionalId(i);
                boolean exactlyOnce = config.delivery() == ProcessorConfig.Delivery.EXACTLY_ONCE;
                list.add(new Worker(name, requests,
                        () -> clients.requestConsumer(config.groupId(), config.groupProtocol(), config.maxPollRecords()),
                        exactlyOnce ? () -> clients.transactionalProducer(transactionalId, config.transactionTimeout()) : clients::replyProducer,
                        processor, records, config.commitInterval(), config.concurrency(), exactlyOnce, clock, fatal::complete));
            }
        }
        this.workers = List.copyOf(list);
    }

    /** What the workers' producers may send in one record: dead letters are sized to it. */
    private static int maxRecordBytes(ProcessorConfig config) {
        String passedThrough = config.kafka().clientProperties().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        if (passedThrough == null) {
            return RecordFactory.DEFAULT_MAX_RECORD_BYTES;
        }
        try {
            return Integer.parseInt(passedThrough.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("Kafka property " + ProducerConfig.MAX_REQUEST_SIZE_CONFIG, passedThrough, "must be a number of bytes");
        }
    }

    /** Builds the service with the handlers found on the class path and in the plugins folder. */
    public static ProcessorService create(ProcessorConfig config) {
        return create(config, Handlers.discover(config.pluginsDir()), Clock.systemUTC());
    }

    public static ProcessorService create(ProcessorConfig config, Handlers handlers, Clock clock) {
        return new ProcessorService(config, handlers, clock);
    }

    /** Creates missing topics, then starts the workers. */
    @Override
    public synchronized void start() {
        if (closed.get()) {
            throw new IllegalStateException("processor already closed");
        }
        try (Admin admin = clients.admin()) {
            TopicSetup.ensure(admin, config.kafka(), 30);
            if (config.mode() == ProcessorConfig.Mode.SHARE) {
                configureShareGroup(admin);
            }
        }
        for (int i = 0; i < workers.size(); i++) {
            Thread thread = Thread.ofPlatform().name("worker-" + i)
                    .uncaughtExceptionHandler((t, e) -> fatal.complete(e))
                    .unstarted(workers.get(i));
            threads.add(thread);
            thread.start();
        }
        started = List.copyOf(threads);
        log.info("processor {} started {} workers in {} mode ({}, concurrency {} each) in group {} on {}", config.instanceId(),
                workers.size(), config.mode().name().toLowerCase(),
                config.mode() == ProcessorConfig.Mode.SHARE ? "at least once" : config.delivery().name().toLowerCase().replace('_', '-'),
                config.concurrency(), config.groupId(), config.kafka().topics().requests());
    }

    /**
     * A new share group starts at the latest offset: set it to the earliest, or requests accepted
     * before the first processor joined would never be processed. Works before the group exists.
     */
    private void configureShareGroup(Admin admin) {
        var group = new ConfigResource(ConfigResource.Type.GROUP, config.groupId());
        var settings = List.of(
                new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("share.delivery.count.limit", String.valueOf(config.deliveryLimit())),
                        AlterConfigOp.OpType.SET));
        try {
            admin.incrementalAlterConfigs(Map.of(group, settings)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot configure share group " + config.groupId() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while configuring share group " + config.groupId(), e);
        }
    }

    /**
     * True while the service runs as it should: started, not closing, no fatal error, and every
     * worker thread alive (a worker's thread ends only when it stops or gives up). Any thread.
     */
    public boolean healthy() {
        List<Thread> workerThreads = started;
        return !workerThreads.isEmpty() && !closed.get() && !fatal.isDone()
                && workerThreads.stream().allMatch(Thread::isAlive);
    }

    @Override
    public CompletableFuture<Throwable> fatalError() {
        return fatal;
    }

    /**
     * Stops polling, lets each worker finish its batch in flight (or, past the shutdown timeout,
     * interrupts it so it aborts), commits, leaves the group. Bounded; idempotent.
     */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        workers.forEach(WorkerLoop::stop);
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        for (Thread thread : threads) {
            joinUntil(thread, deadline);
        }
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                log.warn("{} did not finish its batch within {}; interrupting it to abort the batch", thread.getName(),
                        config.shutdownTimeout());
                thread.interrupt();
            }
        }
        long graceDeadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (Thread thread : threads) {
            joinUntil(thread, graceDeadline);
            if (thread.isAlive()) {
                log.error("{} is still running; giving up on it", thread.getName());
            }
        }
        invoker.close();
    }

    private static void joinUntil(Thread thread, long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            return;
        }
        try {
            thread.join(Duration.ofNanos(remaining));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
