package dev.pipeline.kafka.embedded;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns {@code KAFKA_*} environment variables into broker properties with the rule of the
 * official {@code apache/kafka} image: drop the prefix, lower-case, then {@code _} becomes
 * {@code .}, {@code __} becomes {@code _} and {@code ___} becomes {@code -}. So
 * {@code KAFKA_NUM_PARTITIONS=3} is {@code num.partitions=3}, and a compose file written for
 * that image configures this broker unchanged.
 */
public final class KafkaEnvironment {

    static final String PREFIX = "KAFKA_";

    /**
     * Variables the official image reads for the JVM or logging, not for the broker. The last
     * one is this project's: it names a broker for clients and tools, never a broker setting.
     */
    static final Set<String> NOT_BROKER_SETTINGS = Set.of(
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
            "KAFKA_JMX_HOSTNAME",
            "KAFKA_BOOTSTRAP_SERVERS");

    private KafkaEnvironment() {
    }

    /** The broker properties named by {@code env}, sorted by name; other variables are ignored. */
    public static Map<String, String> brokerProperties(Map<String, String> env) {
        Map<String, String> properties = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length()
                    && !NOT_BROKER_SETTINGS.contains(name)) {
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
