/**
 * {@code ./pipeline check}: judges a pipeline from its data alone (requests, replies and dead
 * letters in Kafka, rows in the reply store) and counts what went wrong: lost requests, duplicate
 * replies, duplicate rows, per-key order violations, replies of aborted transactions seen by a reader.
 */
package dev.pipeline.cli.check;
