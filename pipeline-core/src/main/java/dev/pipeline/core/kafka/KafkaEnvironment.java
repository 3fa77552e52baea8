package dev.pipeline.core.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns {@code KAFKA_*} environment variables into Kafka properties with the rule of the official
 * {@code apache/kafka} image: drop the prefix, lower-case, then {@code _} becomes {@code .},
 * {@code __} becomes {@code _} and {@code ___} becomes {@code -}. So {@code KAFKA_NUM_PARTITIONS=3}
 * is {@code num.partitions=3} for a broker, and {@code KAFKA_SASL_MECHANISM=PLAIN} is
 * {@code sasl.mechanism=PLAIN} for the services' clients: SASL or TLS need no code.
 */
public final class KafkaEnvironment {

    static final String PREFIX = "KAFKA_";

    /** Variables the official image reads for the JVM or logging, never as Kafka settings. */
    static final Set<String> JVM_VARIABLES = Set.of(
            "KAFKA_VERSION",
            "KAFKA_HEAP_OPTS",
            "KAFKA_LOG4J_OPTS",
            "KAFKA_OPTS",
            "KAFKA_JMX_OPTS",
            "KAFKA_JVM_PERFORMANCE_OPTS",
            "KAFKA_GC_LOG_OPTS",
            "KAFKA_LOG4J_ROOT_LOGLEVEL",
            "KAFKA_LOG4J_LOGGERS",
            "KAFKA_TOOLS_LOG4J_LOGLEVEL",
            "KAFKA_JMX_HOSTNAME");

    /** Names a broker for clients and tools; a broker ignores it. */
    static final String BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";

    private KafkaEnvironment() {
    }

    /** Broker properties named by {@code env}, sorted by name; other variables are ignored. */
    public static Map<String, String> brokerProperties(Map<String, String> env) {
        Map<String, String> properties = clientProperties(env);
        properties.remove("bootstrap.servers");
        return properties;
    }

    /** Client properties named by {@code env} ({@code KAFKA_BOOTSTRAP_SERVERS} included), sorted. */
    public static Map<String, String> clientProperties(Map<String, String> env) {
        Map<String, String> properties = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length() && !JVM_VARIABLES.contains(name)) {
                properties.put(propertyName(name), value);
            }
        });
        return properties;
    }

    /** {@code KAFKA_LOG_DIRS} to {@code log.dirs}, as the official image does. */
    static String propertyName(String variable) {
        return variable.substring(PREFIX.length())
                .toLowerCase(Locale.ROOT)
                .replace('_', '.')
                .replace("...", "-")
                .replace("..", "_");
    }
}
