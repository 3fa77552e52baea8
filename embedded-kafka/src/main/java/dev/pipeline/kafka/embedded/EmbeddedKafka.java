package dev.pipeline.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.metrics.KafkaYammerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one server) running in this
 * JVM. Build it with {@link #builder()}, {@link #start()} it, hand {@link #bootstrapServers()} to
 * clients, {@link #close()} it.
 *
 * <p>The data directory is formatted on first start and reused afterwards, so a broker started
 * again on the same directory keeps its topics and records. Without a data directory the broker
 * uses a temporary one and deletes it on close.
 *
 * <p>Kafka halts the JVM on a fatal fault. Unless {@link Builder#haltOnFatalError} is set, the
 * broker replaces that with an exception while it runs, so a failing broker fails a test instead
 * of killing the test JVM. That hook is JVM-wide: run one embedded broker per JVM.
 *
 * <p>Not thread-safe: one thread starts and closes it.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int PORT_ATTEMPTS = 5;
    /** Brokers in this JVM that replaced Kafka's halt: the last one to close restores it. */
    private static final AtomicInteger haltGuards = new AtomicInteger();

    private enum State { NEW, RUNNING, CLOSED }

    private final String host;
    private final int requestedPort;
    private final int requestedControllerPort;
    private final Path requestedDataDir;
    private final String clusterId;
    private final Map<String, String> overrides;
    private final boolean haltOnFatalError;
    private final Duration startTimeout;

    private State state = State.NEW;
    private KafkaRaftServer server;
    private Path dataDir;
    private boolean temporaryDataDir;
    private String bootstrapServers;

    private EmbeddedKafka(Builder b) {
        this.host = b.host;
        this.requestedPort = b.port;
        this.requestedControllerPort = b.controllerPort;
        this.requestedDataDir = b.dataDir;
        this.clusterId = b.clusterId;
        this.overrides = Map.copyOf(b.overrides);
        this.haltOnFatalError = b.haltOnFatalError;
        this.startTimeout = b.startTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the data directory if it is new, starts the broker and returns once it answers
     * clients. On failure everything started is stopped again and the exception is thrown.
     */
    public EmbeddedKafka start() {
        if (state != State.NEW) {
            throw new IllegalStateException("broker already " + state.name().toLowerCase());
        }
        long began = System.nanoTime();
        try {
            dataDir = requestedDataDir != null ? requestedDataDir.toAbsolutePath() : Files.createTempDirectory("embedded-kafka-");
            temporaryDataDir = requestedDataDir == null;
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker data directory " + dataDir, e);
        }
        if (!haltOnFatalError && haltGuards.getAndIncrement() == 0) {
            Exit.setHaltProcedure(EmbeddedKafka::refuseToHalt);
            Exit.setExitProcedure(EmbeddedKafka::refuseToHalt);
        }
        try {
            startOnFreePorts();
            awaitReady();
        } catch (RuntimeException e) {
            stopServer();
            cleanUp();
            state = State.CLOSED;
            throw e;
        }
        state = State.RUNNING;
        log.info("Kafka broker at {} (data in {}) ready in {} ms", bootstrapServers, dataDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        return this;
    }

    /** {@code host:port} of the client listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("broker is not running (" + state.name().toLowerCase() + ")");
        }
        return bootstrapServers;
    }

    /** The directory holding the broker's logs and metadata. */
    public Path dataDir() {
        if (dataDir == null) {
            throw new IllegalStateException("broker not started");
        }
        return dataDir;
    }

    /** Stops the broker and waits for it; idempotent. A temporary data directory is deleted. */
    @Override
    public void close() {
        if (state != State.RUNNING) {
            state = State.CLOSED;
            return;
        }
        try {
            stopServer();
        } finally {
            cleanUp();
            state = State.CLOSED;
        }
    }

    private void startOnFreePorts() {
        for (int attempt = 1; ; attempt++) {
            int port = requestedPort != 0 ? requestedPort : freePort(host);
            int controllerPort = requestedControllerPort != 0 ? requestedControllerPort : freePort(host);
            if (requestedPort != 0) {
                requirePortFree(port, "broker");
            }
            if (requestedControllerPort != 0) {
                requirePortFree(controllerPort, "controller");
            }
            Properties properties = BrokerProperties.of(host, port, controllerPort, dataDir, overrides);
            try {
                startServer(properties);
                bootstrapServers = BrokerProperties.bootstrapServers(properties);
                return;
            } catch (RuntimeException e) {
                stopServer();
                boolean portsWerePicked = requestedPort == 0 || requestedControllerPort == 0;
                if (!portsWerePicked || !isBindFailure(e) || attempt == PORT_ATTEMPTS) {
                    throw e;
                }
                log.debug("a picked port was taken before the broker bound it; trying others", e);
            }
        }
    }

    private void startServer(Properties properties) {
        KafkaConfig config = KafkaConfig.fromProps(properties, false);
        format(properties);
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
    }

    /** Formats the directories once; a directory with {@code meta.properties} is left as it is. */
    private void format(Properties properties) {
        List<String> directories = BrokerProperties.directories(properties);
        boolean formatted = directories.stream().allMatch(d -> Files.exists(Path.of(d, "meta.properties")));
        if (formatted) {
            return;
        }
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(Integer.parseInt(properties.getProperty("node.id").trim()))
                .setClusterId(clusterId != null ? clusterId : Uuid.randomUuid().toString())
                .setDirectories(directories)
                .setControllerListenerName(BrokerProperties.controllerListenerName(properties))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setIgnoreFormatted(true);
        String metadataDir = properties.getProperty("metadata.log.dir");
        formatter.setMetadataLogDirectory(metadataDir != null && !metadataDir.isBlank()
                ? metadataDir.trim() : directories.getFirst());
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the broker data directory " + directories + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the broker answers a metadata request: only then can clients use it. */
    private void awaitReady() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                try {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes().get();
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("broker at " + bootstrapServers + " did not answer within " + startTimeout, e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                }
            }
        }
    }

    private void stopServer() {
        KafkaRaftServer running = server;
        server = null;
        if (running == null) {
            return;
        }
        // after a failed startup too: the controller's non-daemon threads would keep the JVM alive
        try {
            running.shutdown();
        } catch (RuntimeException e) {
            log.warn("broker shutdown failed", e);
        }
        try {
            running.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("waiting for broker shutdown failed", e);
        }
        // a per-log-dir gauge in this JVM-wide registry would keep the stopped broker reachable
        var registry = KafkaYammerMetrics.defaultRegistry();
        List.copyOf(registry.allMetrics().keySet()).forEach(registry::removeMetric);
    }

    private void cleanUp() {
        if (!haltOnFatalError && haltGuards.decrementAndGet() == 0) {
            Exit.resetHaltProcedure();
            Exit.resetExitProcedure();
        }
        if (temporaryDataDir && dataDir != null) {
            deleteRecursively(dataDir);
        }
    }

    private static void refuseToHalt(int status, String message) {
        throw new IllegalStateException("Kafka asked to halt the JVM (status " + status + "): " + message);
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || (t.getMessage() != null && t.getMessage().contains("failed to bind"))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + host, e);
        }
    }

    private void requirePortFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
        } catch (IOException e) {
            throw new IllegalStateException("the " + what + " port " + host + ":" + port
                    + " is already in use (another broker running?); choose another port", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}", dir, e);
        }
    }

    /** Settings of an {@link EmbeddedKafka}; every one has a default that runs locally. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private int controllerPort;
        private Path dataDir;
        private String clusterId;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private boolean haltOnFatalError;
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The address to listen on and advertise; default 127.0.0.1. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The client port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = checkPort(port, "port");
            return this;
        }

        /** The KRaft controller port; 0 (the default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort, "controller port");
            return this;
        }

        /** A data directory kept after close and reused by the next start; default a temporary one. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** The cluster id written when a new data directory is formatted; default random. */
        public Builder clusterId(String clusterId) {
            this.clusterId = clusterId;
            return this;
        }

        /** A broker property over the defaults (and over host, ports and data dir). */
        public Builder property(String name, String value) {
            overrides.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Broker properties over the defaults, e.g. {@link dev.pipeline.core.kafka.KafkaEnvironment#brokerProperties}. */
        public Builder properties(Map<String, String> properties) {
            properties.forEach(this::property);
            return this;
        }

        /**
         * Whether a fatal broker fault may halt the JVM, as Kafka does by default: right for a
         * JVM that runs only the broker, wrong for a test JVM. Default false.
         */
        public Builder haltOnFatalError(boolean haltOnFatalError) {
            this.haltOnFatalError = haltOnFatalError;
            return this;
        }

        /** How long {@link EmbeddedKafka#start()} waits for the broker to answer; default 60 s. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
            return this;
        }

        public EmbeddedKafka build() {
            return new EmbeddedKafka(this);
        }

        private static int checkPort(int port, String what) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException(what + " must be between 0 and 65535, got " + port);
            }
            return port;
        }
    }
}
