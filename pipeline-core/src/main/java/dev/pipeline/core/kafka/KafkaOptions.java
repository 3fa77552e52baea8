package dev.pipeline.core.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import dev.pipeline.core.runtime.ConfigException;
import picocli.CommandLine.Option;

/**
 * The Kafka options every service command shares (a picocli mixin). Flags win over environment
 * variables, which win over the defaults.
 */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka brokers (env KAFKA_BOOTSTRAP_SERVERS; default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX",
            defaultValue = "${env:PIPELINE_TOPIC_PREFIX:-pipeline.}",
            description = "Prefix of the requests, replies and dlq topics (env PIPELINE_TOPIC_PREFIX; default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--partitions", paramLabel = "N",
            defaultValue = "${env:PIPELINE_PARTITIONS:-12}",
            description = "Partitions of topics created at start-up (env PIPELINE_PARTITIONS; default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", paramLabel = "N",
            defaultValue = "${env:PIPELINE_REPLICATION_FACTOR:-1}",
            description = "Replication of topics created at start-up (env PIPELINE_REPLICATION_FACTOR; default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            defaultValue = "${env:PIPELINE_KAFKA_CONFIG}",
            description = {"Kafka client properties for every client (SASL, TLS, ...) (env PIPELINE_KAFKA_CONFIG).",
                    "KAFKA_* variables add more: KAFKA_SASL_MECHANISM=PLAIN is sasl.mechanism=PLAIN."})
    Path kafkaConfig;

    /** The validated settings; throws {@link ConfigException} naming a bad setting. */
    public KafkaSettings settings() {
        Map<String, String> client = new TreeMap<>();
        if (kafkaConfig != null) {
            client.putAll(readProperties(kafkaConfig));
        }
        client.putAll(KafkaEnvironment.clientProperties(System.getenv()));
        // the option (or its env default) names the brokers; a pass-through copy must not differ
        client.remove("bootstrap.servers");
        return new KafkaSettings(bootstrapServers, new Topics(topicPrefix), partitions, replicationFactor, client);
    }

    private static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("kafka config", file, "cannot be read: " + e.getMessage());
        }
        Map<String, String> map = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }
}
