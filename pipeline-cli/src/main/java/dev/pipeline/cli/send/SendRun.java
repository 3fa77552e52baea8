package dev.pipeline.cli.send;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pipeline.cli.send.RequestSource.Item;

/**
 * One send run, in-process: read the requests, send them paced and bounded, wait for the replies,
 * return the {@link Summary}. {@code pipeline send} is a thin shell around it; other commands
 * ({@code pipeline demo}) call {@link #run(SendConfig)} directly.
 *
 * <p>Threads: the calling thread reads the source, paces and sends, then waits for the replies.
 * Send outcomes arrive on the HTTP client's or the producer's threads, replies on the feeds'
 * threads; all of them only update {@link Stats} and the collector, both thread-safe.
 */
public final class SendRun {

    private static final Logger log = LoggerFactory.getLogger(SendRun.class);

    /** Invalid input lines reported one by one; the rest are only counted. */
    static final int MAX_REPORTED_LINES = 10;
    static final Duration HTTP_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration HTTP_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final SendConfig config;
    private final InputStream stdin;
    private final PrintWriter messages;
    private final Ticker ticker;
    private final Clock clock;
    private final Stats stats = new Stats();
    private final AtomicLong reportedLines = new AtomicLong();
    private ProgressBar progress;
    /** set by the sending thread once built, read by {@link #snapshot()} from any thread */
    private volatile Sender activeSender;
    private volatile ReplyCollector activeCollector;

    SendRun(SendConfig config, InputStream stdin, PrintWriter messages, Ticker ticker, Clock clock) {
        this.config = config;
        this.stdin = stdin;
        this.messages = messages;
        this.ticker = ticker;
        this.clock = clock;
    }

    /** Runs with standard input as the NDJSON source (if the config says so) and messages on stderr. */
    public static Summary run(SendConfig config) {
        return run(config, System.in, new PrintWriter(System.err, true));
    }

    /** A run to start with {@link #execute()}, for a caller that also wants {@link #snapshot()}s. */
    public static SendRun prepare(SendConfig config, InputStream stdin, PrintWriter messages) {
        return new SendRun(config, stdin, messages, Ticker.SYSTEM, Clock.systemUTC());
    }

    /**
     * Runs one send and returns its summary; blocks until every reply came or the timeout passed.
     *
     * @param stdin    read when the source is {@link SendConfig.Stdin}
     * @param messages where invalid input lines and the progress line go (stderr for the CLI)
     * @throws SendException when ingest, the reply service or Kafka cannot be reached, or the input cannot be read
     */
    public static Summary run(SendConfig config, InputStream stdin, PrintWriter messages) {
        return prepare(config, stdin, messages).execute();
    }

    /**
     * Runs: reads, sends, waits, returns the summary. Call once.
     *
     * @throws SendException as {@link #run(SendConfig, InputStream, PrintWriter)}
     */
    public Summary execute() {
        boolean needsHttp = config.target() instanceof SendConfig.Ingest || config.awaitReplies();
        HttpClient http = needsHttp ? HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // the services speak HTTP/1.1; no h2c upgrade dance
                .connectTimeout(HTTP_CONNECT_TIMEOUT)
                .build() : null;
        try (RequestSource source = openSource();
             Sender sender = sender(http);
             ReplyCollector collector = config.awaitReplies() ? new ReplyCollector(http, replyEndpoint(), stats, ticker) : null) {
            activeSender = sender;
            activeCollector = collector;
            sender.start();
            if (collector != null) {
                collector.start(List.of(config.client()));
            }
            if (config.progress()) {
                progress = new ProgressBar(stats, source.size(), messages, ticker);
                progress.start();
            }
            try {
                sendAll(source, sender, collector);
                long missing = collector == null ? 0 : awaitReplies(collector);
                return stats.summary(sender.mode(), config.client(), sender.retries(), config.awaitReplies(), missing,
                        orderKnown(), ticker.nanoTime());
            } finally {
                if (progress != null) {
                    progress.close();
                }
            }
        } catch (IOException e) {
            throw new SendException("cannot read the requests from " + describeSource() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendException("interrupted", e);
        } finally {
            if (http != null) {
                closeHttp(http);
            }
        }
    }

    /**
     * What the run has done so far, from any thread; replies still awaited count as missing. For a
     * summary when the run is cut short (Ctrl-C).
     */
    public Summary snapshot() {
        Sender sender = activeSender;
        ReplyCollector collector = activeCollector;
        return stats.summary(sender == null ? "-" : sender.mode(), config.client(), sender == null ? 0 : sender.retries(),
                config.awaitReplies(), collector == null ? 0 : collector.pendingCount(), orderKnown(), ticker.nanoTime());
    }

    /**
     * Whether requests reach the topic in the order they were sent: one producer thread keeps it
     * per partition; through ingest only one request in flight does (with more, requests of a key
     * overtake each other on the way).
     */
    private boolean orderKnown() {
        return config.target() instanceof SendConfig.Direct || config.concurrency() == 1;
    }

    private void sendAll(RequestSource source, Sender sender, ReplyCollector collector) throws IOException, InterruptedException {
        Pacer pacer = Pacer.of(config.rate(), ticker);
        Semaphore inFlight = new Semaphore(config.concurrency());
        for (Item item = source.next(); item != null; item = source.next()) {
            switch (item) {
                case Item.Invalid invalid -> reportInvalid(invalid);
                case Item.Valid valid -> {
                    pacer.acquire();
                    inFlight.acquire();
                    send(valid.submission(), sender, collector, inFlight);
                }
            }
        }
        // every permit back: every send has its outcome
        inFlight.acquire(config.concurrency());
        inFlight.release(config.concurrency());
        stats.sendsDone(ticker.nanoTime());
    }

    private void send(Submission submission, Sender sender, ReplyCollector collector, Semaphore inFlight) {
        if (collector != null) {
            collector.follow(submission.client());
        }
        long submitted = ticker.nanoTime();
        stats.started(submitted);
        if (collector != null) {
            // before sending: the reply may arrive before the answer to the send does
            collector.expect(submission, submitted);
        }
        stats.sent();
        sender.send(submission).whenComplete((outcome, error) -> {
            try {
                record(submission, outcome != null ? outcome : new SendOutcome.Failed(String.valueOf(error)), collector);
            } finally {
                inFlight.release();
            }
        });
    }

    /** On a sender's callback thread. */
    private void record(Submission submission, SendOutcome outcome, ReplyCollector collector) {
        switch (outcome) {
            case SendOutcome.Accepted accepted -> {
                stats.accepted();
                if (collector != null && !accepted.id().equals(submission.id())) {
                    collector.rekey(submission.id(), accepted.id());
                }
            }
            case SendOutcome.Rejected rejected -> {
                stats.rejected(rejected.status(), rejected.reason());
                if (collector != null) {
                    collector.forget(submission.id());
                }
            }
            case SendOutcome.Failed failed -> {
                stats.failed(failed.reason());
                if (collector != null) {
                    collector.forget(submission.id());
                }
            }
        }
    }

    private long awaitReplies(ReplyCollector collector) throws InterruptedException {
        if (!collector.awaitAll(ticker.nanoTime() + config.timeout().toNanos())) {
            log.debug("{} replies missing after {}", collector.pendingCount(), config.timeout());
        }
        return collector.pendingCount();
    }

    private void reportInvalid(Item.Invalid invalid) {
        stats.invalidLine();
        long reported = reportedLines.incrementAndGet();
        if (reported <= MAX_REPORTED_LINES) {
            notice("line " + invalid.line() + ": " + invalid.problem() + " (skipped)");
        } else if (reported == MAX_REPORTED_LINES + 1) {
            notice("more invalid lines: only counted from here on");
        }
    }

    private void notice(String text) {
        if (progress != null) {
            progress.message(text);
        } else {
            messages.println(text);
            messages.flush();
        }
    }

    private RequestSource openSource() throws IOException {
        return switch (config.source()) {
            case SendConfig.Stdin stdinSource -> new NdjsonSource(
                    new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)), config.client());
            case SendConfig.NdjsonFile file -> {
                try {
                    yield new NdjsonSource(Files.newBufferedReader(file.path(), StandardCharsets.UTF_8), config.client());
                } catch (NoSuchFileException e) {
                    throw new SendException("no such file: " + file.path(), e);
                }
            }
            case SendConfig.Generated generated -> new GeneratedSource(config.client(), generated.type(),
                    generated.payload(), generated.count(), generated.keys(), generated.deadlineAfter(), clock);
        };
    }

    private Sender sender(HttpClient http) {
        return switch (config.target()) {
            case SendConfig.Ingest ingest -> new IngestSender(http, new HttpEndpoint("ingest", ingest.url(), config.authToken()),
                    config.retries());
            case SendConfig.Direct direct -> new DirectSender(direct.kafka(), config.client());
        };
    }

    private HttpEndpoint replyEndpoint() {
        return new HttpEndpoint("the reply service", config.replyUrl(), config.authToken());
    }

    private String describeSource() {
        return switch (config.source()) {
            case SendConfig.Stdin stdinSource -> "standard input";
            case SendConfig.NdjsonFile file -> file.path().toString();
            case SendConfig.Generated generated -> "the generator";
        };
    }

    /** Stops the HTTP client without waiting on a reply stream that never ends by itself. */
    private static void closeHttp(HttpClient http) {
        http.shutdownNow();
        try {
            if (!http.awaitTermination(HTTP_CLOSE_TIMEOUT)) {
                log.debug("the HTTP client did not stop within {}", HTTP_CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
