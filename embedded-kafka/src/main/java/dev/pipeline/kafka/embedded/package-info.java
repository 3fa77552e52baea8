/**
 * A genuine single-node KRaft Kafka broker built from the Maven Central jars, run in-process
 * ({@link dev.pipeline.kafka.embedded.EmbeddedKafka}) for tests and local tools, or as its own JVM
 * through {@code ./pipeline broker}.
 */
package dev.pipeline.kafka.embedded;
