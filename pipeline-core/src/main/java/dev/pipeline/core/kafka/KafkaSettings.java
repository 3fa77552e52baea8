package dev.pipeline.core.kafka;

import java.util.Map;
import java.util.TreeMap;

import dev.pipeline.core.runtime.ConfigException;

/**
 * Where Kafka is and how the pipeline's topics look, validated at start-up.
 *
 * @param bootstrapServers  {@code host:port[,...]}
 * @param topics            topic names
 * @param partitions        partitions of a topic created at start-up; bounds the consumer-group workers
 * @param replicationFactor replication of a topic created at start-up
 * @param clientProperties  extra client properties for every client (SASL, TLS, ...), from a
 *                          properties file and {@code KAFKA_*} variables
 */
public record KafkaSettings(String bootstrapServers, Topics topics, int partitions, short replicationFactor,
                            Map<String, String> clientProperties) {

    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ConfigException("bootstrap servers", bootstrapServers, "must name at least one host:port");
        }
        for (String server : bootstrapServers.split(",")) {
            if (!server.trim().matches("[^:\\s]+:\\d{1,5}")) {
                throw new ConfigException("bootstrap servers", bootstrapServers, "must be host:port[,host:port...]");
            }
        }
        if (topics == null) {
            throw new ConfigException("topic prefix", null, "is required");
        }
        if (partitions < 1 || partitions > 10_000) {
            throw new ConfigException("partitions", partitions, "must be between 1 and 10000");
        }
        if (replicationFactor < 1) {
            throw new ConfigException("replication factor", replicationFactor, "must be at least 1");
        }
        clientProperties = Map.copyOf(new TreeMap<>(clientProperties == null ? Map.of() : clientProperties));
    }

    /** Local defaults: a broker on 127.0.0.1:9092, 12 partitions, replication 1. */
    public static KafkaSettings local(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, new Topics(Topics.DEFAULT_PREFIX), 12, (short) 1, Map.of());
    }

    public KafkaSettings withTopics(Topics topics) {
        return new KafkaSettings(bootstrapServers, topics, partitions, replicationFactor, clientProperties);
    }

    public KafkaSettings withPartitions(int partitions) {
        return new KafkaSettings(bootstrapServers, topics, partitions, replicationFactor, clientProperties);
    }
}
