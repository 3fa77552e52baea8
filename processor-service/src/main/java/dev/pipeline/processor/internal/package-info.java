/**
 * How the processor works inside: the worker loop that owns a consumer and a transactional
 * producer, the per-record decision (reply or dead letter), retries and handler timeouts.
 */
package dev.pipeline.processor.internal;
