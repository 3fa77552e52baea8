/**
 * How ingest works inside: parsing and validating requests, the producer that writes them,
 * problem+json answers, readiness and the HTTP routes. Not an API; only the service uses it.
 */
package dev.pipeline.ingest.internal;
