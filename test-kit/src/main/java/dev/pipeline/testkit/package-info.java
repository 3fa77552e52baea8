/**
 * What tests need to run against a real Kafka broker: {@link dev.pipeline.testkit.WithKafka} on a
 * test class hands its tests a {@link dev.pipeline.testkit.KafkaBroker}, one broker per test JVM.
 */
package dev.pipeline.testkit;
