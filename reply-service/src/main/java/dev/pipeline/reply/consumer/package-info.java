/**
 * The replies topic into the store: one thread owns the Kafka consumer; each poll becomes one
 * database transaction, then one offset commit, never the other way round.
 */
package dev.pipeline.reply.consumer;
