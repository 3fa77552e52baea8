/**
 * The ingest service: HTTP requests in, the requests topic out. A request is answered 202 only
 * after the broker acknowledged its record. {@link dev.pipeline.ingest.IngestCommand} runs it.
 */
package dev.pipeline.ingest;
