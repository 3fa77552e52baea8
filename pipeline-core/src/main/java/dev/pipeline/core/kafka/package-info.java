/**
 * Kafka plumbing shared by the services: topic names, topic creation, the one client factory and
 * the settings (with SASL/TLS pass-through) it is built from.
 */
package dev.pipeline.core.kafka;
