package dev.pipeline.kafka.embedded;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration of a single-node KRaft broker (broker and controller in one process):
 * defaults that make one node a complete cluster, then the listener settings, then the caller's
 * overrides, which win. Pure: it only computes.
 */
final class BrokerProperties {

    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private BrokerProperties() {
    }

    /** Settings a one-node cluster needs, each with its reason. */
    static Map<String, String> singleNodeDefaults() {
        Map<String, String> d = new LinkedHashMap<>();
        // one process is both the KRaft controller and the broker
        d.put("process.roles", "broker,controller");
        d.put("node.id", "1");
        d.put("controller.listener.names", CONTROLLER_LISTENER);
        d.put("inter.broker.listener.name", BROKER_LISTENER);
        d.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        // internal topics default to replication factor 3; with one node, transactions
        // (initTransactions) time out and share groups deliver nothing unless these are 1
        d.put("offsets.topic.replication.factor", "1");
        d.put("transaction.state.log.replication.factor", "1");
        d.put("transaction.state.log.min.isr", "1");
        d.put("share.coordinator.state.topic.replication.factor", "1");
        d.put("share.coordinator.state.topic.min.isr", "1");
        // nobody else will join: start the first group generation at once
        d.put("group.initial.rebalance.delay.ms", "0");
        // a killed member's partitions move after 10 s instead of 45 s: a development broker
        // should fail over quickly (heartbeats every 2 s keep live members well inside that)
        d.put("group.consumer.min.session.timeout.ms", "6000");
        d.put("group.consumer.session.timeout.ms", "10000");
        d.put("group.consumer.min.heartbeat.interval.ms", "1000");
        d.put("group.consumer.heartbeat.interval.ms", "2000");
        d.put("group.share.min.session.timeout.ms", "6000");
        d.put("group.share.session.timeout.ms", "10000");
        d.put("group.share.min.heartbeat.interval.ms", "1000");
        d.put("group.share.heartbeat.interval.ms", "2000");
        // the cleaner's default 128 MiB buffer is wasted on a development broker
        d.put("log.cleaner.dedupe.buffer.size", "2097152");
        return d;
    }

    /**
     * The full configuration: defaults, listeners on {@code host}, the log directory, then
     * {@code overrides} (for example from {@link dev.pipeline.core.kafka.KafkaEnvironment}).
     */
    static Properties of(String host, int port, int controllerPort, Path dataDir, Map<String, String> overrides) {
        Map<String, String> all = singleNodeDefaults();
        all.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        all.put("listeners", BROKER_LISTENER + "://" + host + ":" + port + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        all.put("advertised.listeners", BROKER_LISTENER + "://" + host + ":" + port);
        all.put("log.dirs", dataDir.toAbsolutePath().toString());
        all.putAll(overrides);
        Properties properties = new Properties();
        properties.putAll(all);
        return properties;
    }

    /** The directories the broker writes to: {@code log.dirs} plus {@code metadata.log.dir}. */
    static List<String> directories(Properties properties) {
        String logDirs = properties.getProperty("log.dirs", properties.getProperty("log.dir", ""));
        List<String> dirs = new java.util.ArrayList<>(split(logDirs));
        String metadataDir = properties.getProperty("metadata.log.dir");
        if (metadataDir != null && !metadataDir.isBlank() && !dirs.contains(metadataDir.trim())) {
            dirs.add(metadataDir.trim());
        }
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("log.dirs is empty: the broker needs a data directory");
        }
        return dirs;
    }

    /** The first controller listener name, which the storage formatter needs. */
    static String controllerListenerName(Properties properties) {
        return split(properties.getProperty("controller.listener.names", CONTROLLER_LISTENER)).getFirst();
    }

    /**
     * The address clients bootstrap from: the first advertised (or else bound) listener that is
     * not a controller listener, as {@code host:port}.
     */
    static String bootstrapServers(Properties properties) {
        List<String> controllerNames = split(properties.getProperty("controller.listener.names", ""));
        String advertised = properties.getProperty("advertised.listeners");
        String listeners = advertised == null || advertised.isBlank()
                ? properties.getProperty("listeners", "")
                : advertised;
        for (String listener : split(listeners)) {
            int scheme = listener.indexOf("://");
            if (scheme < 0) {
                continue;
            }
            String name = listener.substring(0, scheme);
            if (!controllerNames.contains(name)) {
                String address = listener.substring(scheme + 3);
                // a wildcard bind address is not an address a client can connect to
                return address.startsWith("0.0.0.0:") || address.startsWith(":")
                        ? "127.0.0.1" + address.substring(address.indexOf(':'))
                        : address;
            }
        }
        throw new IllegalArgumentException("no client listener in listeners/advertised.listeners: " + listeners);
    }

    private static List<String> split(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
