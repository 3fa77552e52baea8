package dev.pipeline.cli.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pipeline.cli.stack.ChildProcess;

/**
 * The stack under test: broker, reply service, processors and ingest, each its own OS process on
 * fixed ports, so that a killed part restarts where the others expect it (the broker on the same
 * data, the reply service on the same store, a processor with the same instance id, which fences
 * its zombie's transactions at once).
 */
final class ChaosStack implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration STOP = Duration.ofSeconds(60);

    private final Path dir;
    private final PrintStream log;
    private final String mode;
    private final int workers;
    private final int partitions;
    private final int brokerPort = freePort();
    private final int controllerPort = freePort();
    private final int replyPort = freePort();
    private final int ingestPort = freePort();
    private ChildProcess broker;
    private ChildProcess reply;
    private ChildProcess ingest;
    private final Map<String, ChildProcess> processors = new LinkedHashMap<>();
    private final List<String> unexpectedExits = new ArrayList<>();

    ChaosStack(Path dir, PrintStream log, String mode, int workers, int partitions) {
        this.dir = dir;
        this.log = log;
        this.mode = mode;
        this.workers = workers;
        this.partitions = partitions;
    }

    void start(int processorCount) throws InterruptedException {
        startBroker();
        startReply();
        for (int i = 1; i <= processorCount; i++) {
            startProcessor("p" + i);
        }
        ingest = spawn("ingest", List.of("ingest", "--bootstrap-servers", bootstrap(), "--port", String.valueOf(ingestPort),
                "--reply-base-url", replyUrl(), "--partitions", String.valueOf(partitions)), "ingest listening on");
        ingest.awaitReady(READY);
    }

    void startBroker() throws InterruptedException {
        broker = spawn("broker", List.of("broker", "--port", String.valueOf(brokerPort), "--controller-port", String.valueOf(controllerPort),
                "--data-dir", dir.resolve("kafka").toString()), "Kafka broker ready at");
        broker.awaitReady(READY);
    }

    void startReply() throws InterruptedException {
        reply = spawn("reply", List.of("reply", "--bootstrap-servers", bootstrap(), "--port", String.valueOf(replyPort),
                "--store", storeUrl(), "--partitions", String.valueOf(partitions)), "reply listening on");
        reply.awaitReady(READY);
    }

    void startProcessor(String id) throws InterruptedException {
        ChildProcess p = spawn(id, List.of("processor", "--bootstrap-servers", bootstrap(), "--instance-id", id,
                "--workers", String.valueOf(workers), "--mode", mode, "--partitions", String.valueOf(partitions)),
                "processor " + id + " running");
        processors.put(id, p);
        p.awaitReady(READY);
    }

    private ChildProcess spawn(String name, List<String> args, String readyPrefix) {
        return ChildProcess.start(name, args, "384m", line -> line.startsWith(readyPrefix), log);
    }

    ChildProcess broker() {
        return broker;
    }

    ChildProcess reply() {
        return reply;
    }

    Map<String, ChildProcess> processors() {
        return processors;
    }

    String bootstrap() {
        return "127.0.0.1:" + brokerPort;
    }

    String ingestUrl() {
        return "http://127.0.0.1:" + ingestPort;
    }

    String replyUrl() {
        return "http://127.0.0.1:" + replyPort;
    }

    String storeUrl() {
        return "jdbc:sqlite:" + dir.resolve("replies.db");
    }

    /** Parts that exited without being told to: each is a finding. Checked before each fault. */
    List<String> checkForUnexpectedExits() {
        List<ChildProcess> all = new ArrayList<>(processors.values());
        all.add(broker);
        all.add(reply);
        all.add(ingest);
        for (ChildProcess p : all) {
            if (p != null && p.exitCode().isPresent()) {
                String what = p.name() + " exited by itself with code " + p.exitCode().getAsInt();
                if (!unexpectedExits.contains(what)) {
                    unexpectedExits.add(what);
                }
            }
        }
        return unexpectedExits;
    }

    /** Stops ingest, then the processors, then the reply service (the order that loses nothing); the broker stays. */
    Map<String, Integer> stopServices() throws InterruptedException {
        Map<String, Integer> codes = new LinkedHashMap<>();
        stop(ingest, codes);
        processors.values().forEach(ChildProcess::terminate); // all at once: the group settles once
        for (ChildProcess p : processors.values()) {
            codes.put(p.name(), p.awaitExit(STOP));
        }
        stop(reply, codes);
        return codes;
    }

    private static void stop(ChildProcess p, Map<String, Integer> codes) throws InterruptedException {
        if (p != null) {
            p.terminate();
            codes.put(p.name(), p.awaitExit(STOP));
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopServices();
        if (broker != null) {
            broker.terminate();
            broker.awaitExit(STOP);
        }
    }

    /**
     * A free port below the range the OS hands out for outgoing connections (32768 and up on
     * Linux), so that no client connection takes it while a killed part is down.
     */
    private static int freePort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(20_000, 32_000);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new UncheckedIOException(new IOException("no free port between 20000 and 32000"));
    }
}
