/**
 * {@code pipeline send}: the producer CLI. Reads requests (stdin, a file or a generator), sends them
 * through ingest or straight to the requests topic at a paced rate, collects the replies from the
 * reply service and summarises counts, throughput and latency. {@link dev.pipeline.cli.send.SendRun}
 * is the in-process entry point for other commands.
 */
package dev.pipeline.cli.send;
