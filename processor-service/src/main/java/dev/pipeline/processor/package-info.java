/**
 * The processor service: worker threads that each consume requests, run the handlers and write
 * replies, dead letters and consumed offsets in one Kafka transaction per poll batch.
 */
package dev.pipeline.processor;
