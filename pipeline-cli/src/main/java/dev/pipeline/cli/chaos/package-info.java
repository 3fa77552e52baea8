/**
 * {@code ./pipeline chaos}: the whole pipeline as OS processes under a keyed workload while
 * processors are killed and paused and the broker and the reply service are killed and restarted;
 * then {@link dev.pipeline.cli.check.Checker} judges the result from the data alone.
 */
package dev.pipeline.cli.chaos;
