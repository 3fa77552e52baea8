/**
 * {@code ./pipeline bench}: Kafka's own tools and the pipeline measured on one broker in one run,
 * reported as ratios against the targets, on stdout and as JSON.
 */
package dev.pipeline.cli.bench;
